package org.revtrain.reversible;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TType;

/**
 * The two-tensor state of a reversible network: (Y, Z) channel halves for Hamiltonian and RevNet
 * blocks, (Y_{j-1}, Y_j) for the two-step midpoint and leapfrog schemes.
 *
 * @param a the first tensor, [N, H, W, C]
 * @param b the second tensor, same shape as {@code a}
 * @param <T> element type
 */
public record State<T extends TType>(Operand<T> a, Operand<T> b) {
  public State {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
  }

  /** Both tensors in {@code type}: this state itself when they already are, else two casts. */
  @SuppressWarnings("unchecked")
  public <U extends TType> State<U> as(Ops tf, Class<U> type) {
    if (a.type() == type && b.type() == type) {
      return (State<U>) this;
    }
    return new State<>(tf.dtypes.cast(a, type), tf.dtypes.cast(b, type));
  }
}
