package org.revtrain.reversible;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/** A sweep at inference: running statistics, nothing kept for a backward pass. */
final class InferenceSweep<T extends TFloating> extends Sweep<T> {
  InferenceSweep(ReversibleUnit<T> unit, State<T> input, State<T> output, Operand<T> keep) {
    super(unit, Phase.INFERENCE, input, output, Map.of(), keep);
  }
}
