package org.revtrain.reversible.block;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** The two convolution operators of the fields: K Y and its adjoint K^T Y (3x3, stride 1, SAME). */
final class Convolutions {
  private static final List<Long> UNIT_STRIDES = List.of(1L, 1L, 1L, 1L);

  private Convolutions() {}

  /** K Y: [N,H,W,in] → [N,H,W,out] with K of shape [3,3,in,out]. */
  static <T extends TFloating> Operand<T> apply(Ops tf, Operand<T> kernel, Operand<T> y) {
    return tf.nn.conv2d(y, kernel, UNIT_STRIDES, "SAME");
  }

  /** K^T S: [N,H,W,out] → [N,H,W,in], the adjoint of {@link #apply}; {@code like} gives the shape. */
  static <T extends TFloating> Operand<T> adjoint(
      Ops tf, Operand<T> kernel, Operand<T> s, Operand<T> like) {
    return tf.nn.conv2dBackpropInput(tf.shape(like), kernel, s, UNIT_STRIDES, "SAME");
  }
}
