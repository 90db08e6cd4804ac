package org.revtrain.reversible;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * One parameter of one block. A unit stacks it over its n blocks into a variable of shape
 * [n, shape...].
 *
 * @param name unique within the block, e.g. {@code K1}
 * @param shape shape for one block
 * @param init how the initial value is drawn
 * @param trainable false for running statistics of batch normalisation
 */
public record ParameterSpec(String name, Shape shape, Init init, boolean trainable) {

  /** Initial values. */
  public enum Init {
    /** He-normal with fan-in = product of all but the last dimension. */
    HE_NORMAL,
    ZEROS,
    ONES
  }

  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(init, "init");
  }

  /** A 3x3 convolution kernel [3, 3, in, out]. */
  public static ParameterSpec kernel(String name, int in, int out) {
    return new ParameterSpec(name, Shape.of(3, 3, in, out), Init.HE_NORMAL, true);
  }

  /** A bias or batch-norm offset [channels], zeros. */
  public static ParameterSpec zeros(String name, int channels) {
    return new ParameterSpec(name, Shape.of(channels), Init.ZEROS, true);
  }

  /** A batch-norm scale [channels], ones. */
  public static ParameterSpec ones(String name, int channels) {
    return new ParameterSpec(name, Shape.of(channels), Init.ONES, true);
  }

  /** A running statistic [channels], not trained. */
  public static ParameterSpec statistic(String name, int channels, Init init) {
    return new ParameterSpec(name, Shape.of(channels), init, false);
  }

  /**
   * The initial value of this parameter stacked over {@code blocks} blocks ([blocks, shape...]),
   * or unstacked (shape) when {@code blocks} is 0. He-normal draws are truncated normals from a
   * stateless generator, so the same seeds give the same weights in every graph.
   *
   * @param seed the model's seed
   * @param stream distinguishes parameters drawn with the same seed
   * @param scale multiplies the He-normal standard deviation
   */
  public <T extends TFloating> Operand<T> initialValue(
      Ops tf, Class<T> dtype, int blocks, long seed, long stream, double scale) {
    int lead = blocks > 0 ? 1 : 0;
    long[] dims = new long[shape.numDimensions() + lead];
    if (blocks > 0) {
      dims[0] = blocks;
    }
    for (int i = 0; i < shape.numDimensions(); i++) {
      dims[i + lead] = shape.size(i);
    }
    Operand<TInt64> s = tf.constant(dims);
    // Unfolded leaves: see ResourceVariable.unfolded (a folded initial value stays resident).
    return switch (init) {
      case ZEROS -> tf.fill(s, ResourceVariable.unfolded(tf, tf.constant(dtype, 0.0)));
      case ONES -> tf.fill(s, ResourceVariable.unfolded(tf, tf.constant(dtype, 1.0)));
      case HE_NORMAL -> tf.math.mul(
          tf.random.statelessTruncatedNormal(
              s, ResourceVariable.unfolded(tf, tf.constant(new long[] {seed, stream})), dtype),
          tf.constant(dtype, scale * Math.sqrt(2.0 / fanIn())));
    };
  }

  /** Fan-in used by {@link Init#HE_NORMAL}. */
  public long fanIn() {
    long f = 1;
    for (int i = 0; i < shape.numDimensions() - 1; i++) {
      f *= shape.size(i);
    }
    return Math.max(f, 1);
  }
}
