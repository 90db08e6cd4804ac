package org.revtrain.reversible;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A training sweep with the blocks unrolled in the graph: the backward differentiates it as it is,
 * against each block's own parameter slices.
 */
final class StoredSweep<T extends TFloating> extends Sweep<T> {
  private final Map<String, List<Operand<T>>> slices;

  StoredSweep(
      ReversibleUnit<T> unit,
      State<T> input,
      State<T> output,
      Map<String, Operand<T>> batchStatistics,
      Operand<T> keep,
      Map<String, List<Operand<T>>> slices) {
    super(unit, Phase.TRAINING, input, output, batchStatistics, keep);
    this.slices = Map.copyOf(slices);
  }

  /** θ_0 … θ_{n−1} of every parameter, as the unrolled blocks read them, by parameter name. */
  Map<String, List<Operand<T>>> slices() {
    return slices;
  }
}
