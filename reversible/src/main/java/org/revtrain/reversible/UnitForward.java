package org.revtrain.reversible;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * The forward sweep of one unit, as built in a graph: its output state and what its backward pass
 * may use (in REVERSIBLE mode, nothing but the output).
 */
public final class UnitForward<T extends TFloating> {
  private final State<T> input;
  private final State<T> output;
  /** The output as carried, in the unit's state type (the reconstructing backward starts here). */
  private final State<TFloating> state;
  private final Map<String, Operand<T>> batchStatistics;
  private final Operand<T> keep;
  /** Stored block inputs of CHECKPOINT mode (TensorLists), else null. */
  final State<?> checkpoints;
  /** Per-block parameter tensors of a STORED (unrolled) sweep, else null. */
  final Map<String, java.util.List<Operand<T>>> unrolledParameters;

  UnitForward(
      State<T> input,
      State<T> output,
      State<TFloating> state,
      Map<String, Operand<T>> batchStatistics,
      Operand<T> keep,
      State<?> checkpoints,
      Map<String, java.util.List<Operand<T>>> unrolledParameters) {
    this.input = input;
    this.output = output;
    this.state = state;
    this.batchStatistics = Map.copyOf(batchStatistics);
    this.keep = keep;
    this.checkpoints = checkpoints;
    this.unrolledParameters = unrolledParameters;
  }

  /** The unit's input state, as leaves (identity ops) of the graph. */
  public State<T> input() {
    return input;
  }

  /** The unit's output state, as leaves. */
  public State<T> output() {
    return output;
  }

  /** The output state in the unit's state type: {@link #output()} itself unless it is wider. */
  State<TFloating> state() {
    return state;
  }

  /**
   * Per running-statistic name (e.g. {@code bn1.mean}) the batch values of all blocks, stacked to
   * [n, C]; empty without batch normalisation or at inference.
   */
  public Map<String, Operand<T>> batchStatistics() {
    return batchStatistics;
  }

  /** The per-block residual factors [n] this sweep used. */
  public Operand<T> keep() {
    return keep;
  }
}
