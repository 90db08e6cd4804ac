package org.revtrain.reversible.block;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The two convolution operators of the fields, stride 1 with SAME padding, for a kernel K of shape
 * [k, k, in, out]: K Y, [N,H,W,in] → [N,H,W,out], and its adjoint K^T S, [N,H,W,out] → [N,H,W,in]
 * (the transposed convolution with the same kernel).
 */
public final class Convolutions {
  private static final List<Long> UNIT_STRIDES = List.of(1L, 1L, 1L, 1L);

  private Convolutions() {}

  /**
   * K Y: a 3x3 convolution, stride 1, padding SAME.
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param kernel K [3, 3, in, out]
   * @param y Y [N, H, W, in]
   * @return K Y [N, H, W, out]
   */
  public static <T extends TFloating> Operand<T> apply(Ops tf, Operand<T> kernel, Operand<T> y) {
    return tf.nn.conv2d(y, kernel, UNIT_STRIDES, "SAME");
  }

  /**
   * K^T S, the adjoint of {@link #apply}: a transposed convolution.
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param kernel K [3, 3, in, out]
   * @param s S [N, H, W, out]
   * @param like any tensor of the result's shape [N, H, W, in]
   * @return K^T S [N, H, W, in]
   */
  public static <T extends TFloating> Operand<T> adjoint(
      Ops tf, Operand<T> kernel, Operand<T> s, Operand<T> like) {
    return tf.nn.conv2dBackpropInput(tf.shape(like), kernel, s, UNIT_STRIDES, "SAME");
  }
}
