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
  /**
   * Checks that neither tensor is null.
   *
   * @param a the first tensor, [N, H, W, C]
   * @param b the second tensor, same shape as {@code a}
   */
  public State {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
  }

  /**
   * Both tensors in {@code type}: each cast unless it already is.
   *
   * @param <U> the target type
   * @param tf ops of the graph to build in
   * @param type the target type's class
   * @return the state in {@code type}
   */
  public <U extends TType> State<U> as(Ops tf, Class<U> type) {
    return new State<>(converted(tf, a, type), converted(tf, b, type));
  }

  /** {@code x} in {@code type}: {@code x} itself when it already is, else a cast. */
  @SuppressWarnings("unchecked")
  static <U extends TType> Operand<U> converted(Ops tf, Operand<?> x, Class<U> type) {
    return x.type() == type ? (Operand<U>) x : tf.dtypes.cast(x, type);
  }
}
