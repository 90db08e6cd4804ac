package org.revtrain.trainer;

import org.revtrain.reversible.BlockUpdate;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Weight smoothness in time (Chang et al. 2018). For one stacked unit parameter θ = (θ_0 … θ_{n−1})
 * of a unit with step sizes h_0 … h_{n−1}:
 *
 * <pre>
 *   R(θ) = α Σ_{j=0}^{n−2} ‖θ_{j+1} − θ_j‖² / h_j
 *
 *   ∂R/∂θ_k = 2α (D_{k−1}/h_{k−1} − D_k/h_k),   D_j = θ_{j+1} − θ_j,
 * </pre>
 *
 * where a term whose index falls outside 0 … n−2 is zero. Each kernel and bias family of each unit
 * is regularised separately ({@link #appliesTo}); batch-normalisation parameters are not.
 *
 * <p>Both the penalty and its gradient are a handful of vectorised ops on the stacked [n, ...]
 * variable (two slices, a scale, two pads), whatever the depth; the gradient is added to the loss
 * gradient analytically rather than by differentiating R.
 */
public final class SmoothnessRegularizer {
  private final double alpha;

  /**
   * @param alpha the weight α ≥ 0 (0 turns the regulariser off)
   */
  public SmoothnessRegularizer(double alpha) {
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("smoothness weight must be finite and >= 0, got " + alpha);
    }
    this.alpha = alpha;
  }

  /** The weight α. */
  public double alpha() {
    return alpha;
  }

  /**
   * Whether R has a term for a parameter of {@code role} stacked over {@code blocks} blocks: a
   * kernel or bias of a unit of ≥ 2 blocks. Batch-normalisation parameters and scheme coefficients
   * (LM-ResNet's k_n) are not fields of the ODE, and are not smoothed.
   */
  public boolean appliesTo(ParameterSpec.Role role, int blocks) {
    return alpha > 0
        && blocks >= 2
        && (role == ParameterSpec.Role.WEIGHT || role == ParameterSpec.Role.BIAS);
  }

  /**
   * R(θ) for one stacked parameter.
   *
   * @param theta the stacked values [n, ...], n ≥ 2
   * @param h the unit's step sizes h_0 … h_{n−1}
   */
  public <T extends TFloating> Operand<T> penalty(
      Ops tf, Operand<T> theta, double[] h, Class<T> dtype) {
    Operand<T> d = differences(tf, theta, h.length);
    Operand<T> weighted = tf.math.mul(inverseSteps(tf, theta.shape(), h, dtype), tf.math.square(d));
    return tf.math.mul(
        tf.constant(dtype, alpha), tf.reduceSum(weighted, allAxes(tf, theta.shape())));
  }

  /**
   * ∂R/∂θ for one stacked parameter, of θ's shape.
   *
   * @param theta the stacked values [n, ...], n ≥ 2
   * @param h the unit's step sizes h_0 … h_{n−1}
   */
  public <T extends TFloating> Operand<T> gradient(
      Ops tf, Operand<T> theta, double[] h, Class<T> dtype) {
    int n = h.length;
    Shape s = theta.shape();
    // W_j = D_j / h_j, j = 0 … n−2
    Operand<T> w = tf.math.mul(inverseSteps(tf, s, h, dtype), differences(tf, theta, n));
    Operand<T> zero = tf.constant(dtype, 0.0);
    // [0, W_0 … W_{n−2}] − [W_0 … W_{n−2}, 0]
    Operand<T> previous = tf.pad(w, leadPadding(tf, s, 1, 0), zero);
    Operand<T> next = tf.pad(w, leadPadding(tf, s, 0, 1), zero);
    return tf.math.mul(tf.constant(dtype, 2 * alpha), tf.math.sub(previous, next));
  }

  /**
   * ∂R/∂θ_j for block j alone, from the slice a reconstructing backward loop hands its {@link
   * BlockUpdate}: 2α ((θ_j − θ_{j−1})/h_{j−1} − (θ_{j+1} − θ_j)/h_j), where a missing neighbour is
   * θ_j itself (the slice's convention), so that its term vanishes.
   *
   * @param h the unit's step sizes h_0 … h_{n−1}
   */
  public <T extends TFloating> Operand<T> blockGradient(
      Ops tf, BlockUpdate.Slice<T> slice, double[] h, Class<T> dtype) {
    double[] inv = new double[h.length];
    for (int j = 0; j < h.length; j++) {
      inv[j] = 1.0 / h[j];
    }
    Operand<T> inverse = tf.dtypes.cast(tf.constant(inv), dtype);
    Operand<TInt32> j = slice.block();
    Operand<TInt32> below = tf.math.maximum(tf.math.sub(j, tf.constant(1)), tf.constant(0));
    Operand<TInt32> axis = tf.constant(0);
    Operand<T> down =
        tf.math.mul(tf.gather(inverse, below, axis), tf.math.sub(slice.value(), slice.previous()));
    Operand<T> up =
        tf.math.mul(tf.gather(inverse, j, axis), tf.math.sub(slice.next(), slice.value()));
    return tf.math.mul(tf.constant(dtype, 2 * alpha), tf.math.sub(down, up));
  }

  /** D = θ[1:] − θ[:−1], shape [n − 1, ...]. */
  private static <T extends TFloating> Operand<T> differences(Ops tf, Operand<T> theta, int n) {
    Shape s = theta.shape();
    if (s.numDimensions() < 1 || s.size(0) != n || n < 2) {
      throw new IllegalArgumentException(
          "stacked parameter of shape " + s + " does not match " + n + " step sizes (need n >= 2)");
    }
    long[] size = s.asArray().clone();
    size[0] = n - 1;
    long[] from = new long[s.numDimensions()];
    long[] to = new long[s.numDimensions()];
    to[0] = 1;
    Operand<TInt64> sizes = tf.constant(size);
    return tf.math.sub(
        tf.slice(theta, tf.constant(to), sizes), tf.slice(theta, tf.constant(from), sizes));
  }

  /** 1/h_j for j = 0 … n−2, shaped [n − 1, 1, …, 1] to broadcast over a block's values. */
  private static <T extends TFloating> Operand<T> inverseSteps(
      Ops tf, Shape s, double[] h, Class<T> dtype) {
    double[] inv = new double[h.length - 1];
    for (int j = 0; j < inv.length; j++) {
      inv[j] = 1.0 / h[j];
    }
    long[] dims = new long[s.numDimensions()];
    java.util.Arrays.fill(dims, 1);
    dims[0] = inv.length;
    return tf.dtypes.cast(tf.constant(Shape.of(dims), DataBuffers.of(inv, true, false)), dtype);
  }

  private static Operand<TInt32> leadPadding(Ops tf, Shape s, int before, int after) {
    int[][] p = new int[s.numDimensions()][2];
    p[0][0] = before;
    p[0][1] = after;
    return tf.constant(p);
  }

  private static Operand<TInt32> allAxes(Ops tf, Shape s) {
    int[] axes = new int[s.numDimensions()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }
}
