package org.revtrain.reversible;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A training sweep run as a loop that keeps only its output state (in the unit's state type, where
 * the reconstruction starts) and what its {@link CheckpointPolicy} stored.
 */
final class ReconstructingSweep<T extends TFloating> extends Sweep<T> {
  private final State<TFloating> state;
  private final CheckpointPolicy.Stored checkpoints;
  private WhileLoop.Functions backward;

  ReconstructingSweep(
      ReversibleUnit<T> unit,
      State<T> input,
      State<T> output,
      Map<String, Operand<T>> batchStatistics,
      Operand<T> keep,
      State<TFloating> state,
      CheckpointPolicy.Stored checkpoints) {
    super(unit, Phase.TRAINING, input, output, batchStatistics, keep);
    this.state = state;
    this.checkpoints = checkpoints;
  }

  /** The output state as carried, in the unit's state type. */
  State<TFloating> state() {
    return state;
  }

  /** The block inputs the checkpoint policy stored. */
  CheckpointPolicy.Stored checkpoints() {
    return checkpoints;
  }

  /** Sets the functions of this sweep's backward loop with gradients collected (once). */
  void prepare(WhileLoop.Functions functions) {
    if (backward != null) {
      throw new IllegalStateException("the backward loop of this sweep is already prepared");
    }
    backward = functions;
  }

  /** The functions of this sweep's backward loop with gradients collected. */
  WhileLoop.Functions backward() {
    return backward;
  }
}
