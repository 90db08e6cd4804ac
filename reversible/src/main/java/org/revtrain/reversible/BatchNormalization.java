package org.revtrain.reversible;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * Batch normalisation over the batch and spatial axes of [N, H, W, C] tensors, written from moments
 * (Mean, Sub, Rsqrt, Mul) so that it runs and differentiates in float32 and float64 alike
 * (TensorFlow's fused kernel has no float64 version):
 *
 * <pre>  y = γ (x − μ) / sqrt(σ² + ε) + β</pre>
 *
 * with the batch moments μ, σ² in training and the running ones at inference.
 *
 * @param output the normalised tensor
 * @param mean the μ used (batch mean in training)
 * @param variance the σ² used
 */
public record BatchNormalization<T extends TFloating>(
    Operand<T> output, Operand<T> mean, Operand<T> variance) {
  /** ε. */
  public static final double EPSILON = 1e-5;

  /**
   * Normalises {@code x}.
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param dtype the element type's class
   * @param x the input [N, H, W, C]
   * @param gamma the scale γ [C]
   * @param beta the offset β [C]
   * @param runningMean used at inference only
   * @param runningVariance used at inference only
   * @param phase TRAINING normalises with the batch's moments, INFERENCE with the running ones
   * @return the output and the moments it used
   */
  public static <T extends TFloating> BatchNormalization<T> apply(
      Ops tf,
      Class<T> dtype,
      Operand<T> x,
      Operand<T> gamma,
      Operand<T> beta,
      Operand<T> runningMean,
      Operand<T> runningVariance,
      Phase phase) {
    Operand<T> mean;
    Operand<T> variance;
    if (phase == Phase.TRAINING) {
      Operand<TInt32> axes = tf.constant(new int[] {0, 1, 2});
      mean = tf.math.mean(x, axes, Mean.keepDims(false));
      variance = tf.math.mean(tf.math.squaredDifference(x, mean), axes, Mean.keepDims(false));
    } else {
      mean = runningMean;
      variance = runningVariance;
    }
    Operand<T> inverseStd = tf.math.rsqrt(tf.math.add(variance, tf.constant(dtype, EPSILON)));
    Operand<T> scale = tf.math.mul(gamma, inverseStd);
    Operand<T> y = tf.math.add(tf.math.mul(tf.math.sub(x, mean), scale), beta);
    return new BatchNormalization<>(y, mean, variance);
  }

  /**
   * The moving-average update of a running statistic from one training step's batch value ŝ:
   *
   * <pre>  s ← m·s + (1 − m)·ŝ</pre>
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param running the running statistic s
   * @param batch the step's batch value ŝ, of s's shape
   * @param momentum m in [0, 1]
   * @return the assignment
   */
  public static <T extends TFloating> Op movingAverage(
      Ops tf, StackedVariable<T> running, Operand<T> batch, double momentum) {
    Class<T> dtype = running.type();
    return running.assign(
        tf,
        tf.math.add(
            tf.math.mul(tf.constant(dtype, momentum), running.read(tf)),
            tf.math.mul(tf.constant(dtype, 1 - momentum), batch)));
  }
}
