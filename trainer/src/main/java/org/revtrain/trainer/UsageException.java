package org.revtrain.trainer;

/**
 * Bad input from the user: an option value, a directory or a file that cannot be used. The message
 * is one line that starts with the option, file or directory at fault and says what is wrong; the
 * command line reports it as it is, with exit code 2.
 */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message one line naming the option, file or directory and what is wrong
   */
  public UsageException(String message) {
    super(message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
  }

  /** As {@link #UsageException(String)}, keeping the underlying cause. */
  public UsageException(String message, Throwable cause) {
    super(message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip(), cause);
  }
}
