package org.revtrain.trainer.cli;

/** The exit codes of {@code revtrain}. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** An unexpected failure (a bug, or TensorFlow running out of memory). */
  public static final int FAILURE = 1;

  /** Bad input: an option, a directory or a file; one line on stderr says which and why. */
  public static final int USAGE = 2;

  /** Training diverged: the loss became NaN or infinite. */
  public static final int DIVERGED = 3;

  /** Stopped by Ctrl-C (SIGINT) after writing a checkpoint: 128 + 2. */
  public static final int INTERRUPTED = 130;

  /** Stopped by SIGTERM (e.g. a batch system's time limit) after writing a checkpoint: 128 + 15. */
  public static final int TERMINATED = 143;

  private ExitCodes() {}
}
