package org.revtrain.trainer;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Training stopped because the loss (or, before a checkpoint, a weight) became NaN or infinite. No
 * checkpoint is written after the bad step, so the last checkpoint on disk holds finite weights.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final transient Path lastCheckpoint;

  /**
   * @param step the 1-based step whose loss was not finite
   * @param what what was not finite, e.g. {@code loss is NaN}
   * @param lastCheckpoint the last checkpoint written, or null if none was
   */
  public TrainingDivergedException(long step, String what, Path lastCheckpoint) {
    super(
        "training diverged: "
            + what
            + " at step "
            + step
            + "; "
            + (lastCheckpoint == null
                ? "no checkpoint had been written"
                : "last good checkpoint: " + lastCheckpoint)
            + " (try a smaller learning rate)");
    this.step = step;
    this.lastCheckpoint = lastCheckpoint;
  }

  /** The 1-based step at which training stopped. */
  public long step() {
    return step;
  }

  /** The last checkpoint written before the bad step. */
  public Optional<Path> lastCheckpoint() {
    return Optional.ofNullable(lastCheckpoint);
  }
}
