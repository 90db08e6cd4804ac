package org.revtrain.reversible;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * What one block sees while it builds its graph: its own parameters, its step size h_j, its
 * stochastic-depth factor, and the phase. Batch normalisation goes through {@link #batchNorm} so
 * that batch statistics are recorded once per training step by the forward sweep and never by the
 * backward's recomputation.
 *
 * @param <T> floating element type
 */
public final class BlockContext<T extends TFloating> {
  private static final double EPSILON = 1e-5;

  private final Ops tf;
  private final Class<T> dtype;
  private final Map<String, Operand<T>> parameters;
  private final Operand<T> stepSize;
  private final Operand<T> keep;
  private final Phase phase;
  private final Map<String, Operand<T>> recorded;

  /**
   * @param parameters this block's parameters by {@link ParameterSpec#name()}
   * @param stepSize scalar h_j
   * @param keep scalar residual factor: 1, or 0/1 drawn for stochastic depth, or the survival
   *     probability at inference
   * @param record whether batch statistics computed here should be recorded
   */
  public BlockContext(
      Ops tf,
      Class<T> dtype,
      Map<String, Operand<T>> parameters,
      Operand<T> stepSize,
      Operand<T> keep,
      Phase phase,
      boolean record) {
    this.tf = tf;
    this.dtype = dtype;
    this.parameters = parameters;
    this.stepSize = stepSize;
    this.keep = keep;
    this.phase = phase;
    this.recorded = record ? new LinkedHashMap<>() : null;
  }

  public Ops tf() {
    return tf;
  }

  public Class<T> dtype() {
    return dtype;
  }

  /** Step size h_j of this block (scalar). */
  public Operand<T> stepSize() {
    return stepSize;
  }

  /** Residual factor of this block (scalar): multiplies the block's vector field. */
  public Operand<T> keep() {
    return keep;
  }

  /** A scalar constant of this context's type. */
  public Operand<T> scalar(double value) {
    return tf.constant(dtype, value);
  }

  /** The parameter called {@code name}; fails naming the parameters that exist. */
  public Operand<T> parameter(String name) {
    Operand<T> p = parameters.get(name);
    if (p == null) {
      throw new IllegalStateException(
          "block has no parameter '" + name + "'; it has " + parameters.keySet());
    }
    return p;
  }

  /**
   * Batch normalisation over the batch and spatial axes, written from moments so that it runs in
   * float32 and float64 alike: y = γ (x − μ) / sqrt(σ² + ε) + β. Parameters {@code name.gamma},
   * {@code name.beta}; running statistics {@code name.mean}, {@code name.variance}.
   */
  public Operand<T> batchNorm(Operand<T> x, String name) {
    Operand<T> mean;
    Operand<T> variance;
    if (phase == Phase.TRAINING) {
      Operand<TInt32> axes = tf.constant(new int[] {0, 1, 2});
      mean = tf.math.mean(x, axes, Mean.keepDims(false));
      variance = tf.math.mean(tf.math.squaredDifference(x, mean), axes, Mean.keepDims(false));
      if (recorded != null) {
        recorded.put(name + ".mean", mean);
        recorded.put(name + ".variance", variance);
      }
    } else {
      mean = parameter(name + ".mean");
      variance = parameter(name + ".variance");
    }
    Operand<T> inverseStd = tf.math.rsqrt(tf.math.add(variance, scalar(EPSILON)));
    Operand<T> scale = tf.math.mul(parameter(name + ".gamma"), inverseStd);
    return tf.math.add(
        tf.math.mul(tf.math.sub(x, mean), scale), parameter(name + ".beta"));
  }

  /** Batch statistics recorded by {@link #batchNorm}, in order; empty unless recording. */
  public Map<String, Operand<T>> recordedStatistics() {
    return recorded == null ? Map.of() : Collections.unmodifiableMap(recorded);
  }

  /** The parameter specs of one batch normalisation over {@code channels}. */
  public static java.util.List<ParameterSpec> batchNormParameters(String name, int channels) {
    return Arrays.asList(
        ParameterSpec.ones(name + ".gamma", channels),
        ParameterSpec.zeros(name + ".beta", channels),
        ParameterSpec.statistic(name + ".mean", channels, ParameterSpec.Init.ZEROS),
        ParameterSpec.statistic(name + ".variance", channels, ParameterSpec.Init.ONES));
  }
}
