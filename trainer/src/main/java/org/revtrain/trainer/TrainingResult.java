package org.revtrain.trainer;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a run ended.
 *
 * @param status whether it completed or was stopped
 * @param steps training steps completed (over resumed runs)
 * @param totalSteps steps the run was to take
 * @param stepsRun steps this invocation ran
 * @param finalMetrics the last evaluation, absent if stopped before any
 * @param peakBytes the TensorFlow allocator's peak during a traced step, if known
 * @param secondsPerStep mean wall-clock seconds of this invocation's training steps (excluding
 *     evaluation and checkpoints)
 * @param runDirectory where config, metrics and checkpoints are
 * @param lastCheckpoint the last checkpoint written, if any
 */
public record TrainingResult(
    Status status,
    long steps,
    long totalSteps,
    long stepsRun,
    Optional<MetricsRecord> finalMetrics,
    OptionalLong peakBytes,
    double secondsPerStep,
    Path runDirectory,
    Optional<Path> lastCheckpoint) {

  /**
   * The trained model, from the {@link #lastCheckpoint}: its {@link InferenceModel#logits} and
   * {@link InferenceModel#evaluate} take raw images as the training data were given. Close it.
   *
   * @throws IllegalStateException if the run wrote no checkpoint
   */
  public InferenceModel<?> openModel() {
    Path checkpoint =
        lastCheckpoint.orElseThrow(
            () -> new IllegalStateException(runDirectory + ": the run wrote no checkpoint"));
    return InferenceModel.open(Checkpoints.locate(checkpoint));
  }

  /** How a run ended. */
  public enum Status {
    /** It reached its last step. */
    COMPLETED,
    /** {@link Trainer#requestStop()} stopped it after writing a checkpoint. */
    STOPPED
  }
}
