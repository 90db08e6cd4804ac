package org.revtrain.trainer.data;

/**
 * A data set could not be located, read or validated.
 *
 * <p>Every message is a single line that names the file, directory or data spec at fault and says
 * what is wrong with it (and, where the remedy is obvious, what to do about it), for example {@code
 * train-images-idx3-ubyte.gz: bad IDX magic 0x00000999, expected 0x00000803 (images)}. Line breaks
 * in messages (for instance from an underlying I/O error) are folded into spaces.
 */
public class DataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a one-line message.
   *
   * @param message what is wrong, starting with the file, directory or spec it concerns
   */
  public DataException(String message) {
    super(oneLine(message));
  }

  /**
   * Creates an exception with a one-line message and the underlying cause.
   *
   * @param message what is wrong, starting with the file, directory or spec it concerns
   * @param cause the underlying failure
   */
  public DataException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  private static String oneLine(String message) {
    return message == null ? null : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
