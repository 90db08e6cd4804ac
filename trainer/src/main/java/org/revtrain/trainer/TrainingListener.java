package org.revtrain.trainer;

/** Observes a {@link Trainer}'s run; every method is called on the training thread. */
public interface TrainingListener {
  /**
   * Training is about to start.
   *
   * @param firstStep steps already completed (non-zero when resuming)
   * @param totalSteps steps of the whole run
   * @param stepsPerEpoch training batches per epoch
   */
  default void started(long firstStep, long totalSteps, int stepsPerEpoch) {}

  /** A step completed. */
  default void stepped(StepReport report) {}

  /** An evaluation of the test set, after {@code step} steps, begins. */
  default void evaluating(long step) {}

  /** An evaluation completed (at an epoch end or at the end of the run). */
  default void evaluated(MetricsRecord record) {}

  /**
   * A unit's reconstruction error exceeded the run's drift tolerance: it trains in another mode
   * from the next step on.
   */
  default void switchedMode(ModeSwitch change) {}

  /** The network was checked for being an ODE solution after an epoch. */
  default void checkedStepSize(StepSizeCheck check) {}

  /** The network's blocks were doubled: the steps from now on train the refined network. */
  default void refined(Refinement refinement) {}

  /** A checkpoint was written. */
  default void checkpointed(Checkpoint checkpoint) {}

  /** The run ended, normally or not. */
  default void finished() {}
}
