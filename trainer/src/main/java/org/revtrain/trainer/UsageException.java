package org.revtrain.trainer;

/**
 * Bad input from the user: an option value, a directory or a file that cannot be used. The message
 * is one line that starts with the option, file or directory at fault and says what is wrong; the
 * command line reports it as it is, with exit code 2.
 */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * The setting of a run that is at fault, where one is: a command line maps it to its option's
   * name.
   */
  public enum Setting {
    /** The data ({@link TrainingConfig#data}, or the data given to evaluate on). */
    DATA,
    /** The batch size ({@link TrainingConfig#batch}). */
    BATCH,
    /** The device ({@link Device}). */
    DEVICE,
    /** The epochs after which the blocks are doubled ({@link TrainingConfig#refineAt}). */
    REFINE_AT;

    /**
     * The words the message starts with: {@code data}, {@code batch}, {@code device}, {@code refine
     * at}.
     */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  private final Setting setting;
  private final String detail;

  /**
   * @param message one line naming the option, file or directory and what is wrong
   */
  public UsageException(String message) {
    this(message, (Throwable) null);
  }

  /**
   * A bad {@code setting}: the message is the setting's {@link Setting#word} and {@code detail},
   * which starts with the setting's value, e.g. {@code batch 64: larger than the training set}.
   */
  public UsageException(Setting setting, String detail, Throwable cause) {
    super(oneLine(setting.word() + " " + detail), cause);
    this.setting = setting;
    this.detail = oneLine(detail);
  }

  /** As {@link #UsageException(String)}, keeping the underlying cause. */
  public UsageException(String message, Throwable cause) {
    super(oneLine(message), cause);
    this.setting = null;
    this.detail = getMessage();
  }

  /** The setting at fault, if the message is about one. */
  public java.util.Optional<Setting> setting() {
    return java.util.Optional.ofNullable(setting);
  }

  /** The message without the setting's word: the part after an option's name. */
  public String detail() {
    return detail;
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
