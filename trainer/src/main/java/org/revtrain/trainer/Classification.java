package org.revtrain.trainer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/** Graph pieces that score logits [N, classes] against labels [N]. */
final class Classification {
  private Classification() {}

  /** Σ_i −log softmax(z_i)_{y_i}, as float64. */
  static <T extends TFloating> Operand<TFloat64> lossSum(
      Ops tf, Operand<T> logits, Operand<TInt32> labels, int classes, Class<T> dtype) {
    Operand<T> onehot =
        tf.oneHot(labels, tf.constant(classes), tf.constant(dtype, 1.0), tf.constant(dtype, 0.0));
    Operand<T> picked = tf.math.mul(onehot, tf.nn.logSoftmax(logits));
    return tf.dtypes.cast(
        tf.math.neg(tf.reduceSum(picked, tf.constant(new int[] {0, 1}))), TFloat64.class);
  }

  /** Σ_i [p_i = y_i] for predicted classes p ({@link #predicted}: Σ_i [argmax z_i = y_i]). */
  static Operand<TInt32> correct(Ops tf, Operand<TInt32> predicted, Operand<TInt32> labels) {
    return tf.reduceSum(
        tf.dtypes.cast(tf.math.equal(predicted, labels), TInt32.class), tf.constant(0));
  }

  /** The predicted classes argmax_k z_ik, [N]. */
  static <T extends TFloating> Operand<TInt32> predicted(Ops tf, Operand<T> logits) {
    return tf.math.argMax(logits, tf.constant(1), TInt32.class);
  }
}
