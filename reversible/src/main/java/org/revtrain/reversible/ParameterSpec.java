package org.revtrain.reversible;

import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * One parameter of one block (or of a network's stem or head). A unit stacks it over its n blocks
 * into a variable of shape [n, shape...].
 *
 * @param name unique within the block, e.g. {@code K1}
 * @param shape shape for one block
 * @param role what the parameter is, which decides whether it is trained and regularised
 * @param init how the initial value is drawn
 */
public record ParameterSpec(String name, Shape shape, Role role, Init init) {

  /** What a parameter is. Regularisers choose their parameters by role, never by name. */
  public enum Role {
    /** A convolution kernel or fully-connected matrix. */
    WEIGHT,
    /** A bias added after a convolution or matrix product. */
    BIAS,
    /** A batch-normalisation scale γ. */
    SCALE,
    /** A batch-normalisation offset β. */
    OFFSET,
    /** A coefficient of an integration scheme, e.g. LM-ResNet's k_n. */
    SCHEME_COEFFICIENT,
    /** A batch-normalisation running mean: updated by moving average, not trained. */
    RUNNING_MEAN,
    /** A batch-normalisation running variance: updated by moving average, not trained. */
    RUNNING_VARIANCE;

    /** {@return whether gradient descent updates parameters of this role} */
    public boolean trainable() {
      return this != RUNNING_MEAN && this != RUNNING_VARIANCE;
    }
  }

  /** How an initial value is drawn. */
  public sealed interface Init {
    /** He-normal: a truncated normal with σ = sqrt(2 / fan-in) (see {@link #fanIn}). */
    record HeNormal() implements Init {}

    /** Every element {@code value}. */
    record Constant(double value) implements Init {}

    /** Uniform on [lower, upper). */
    record Uniform(double lower, double upper) implements Init {}
  }

  /**
   * Checks that no component is null.
   *
   * @param name unique within the block, e.g. {@code K1}
   * @param shape shape for one block
   * @param role what the parameter is
   * @param init how the initial value is drawn
   */
  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(init, "init");
  }

  /**
   * A 3x3 convolution kernel, He-normal.
   *
   * @param name the parameter's name in its block
   * @param in input channels
   * @param out output channels
   * @return the spec of shape [3, 3, in, out]
   */
  public static ParameterSpec kernel(String name, int in, int out) {
    return weight(name, Shape.of(3, 3, in, out));
  }

  /**
   * A kernel or matrix of any shape, He-normal.
   *
   * @param name the parameter's name in its block
   * @param shape its shape for one block
   * @return a WEIGHT spec
   */
  public static ParameterSpec weight(String name, Shape shape) {
    return new ParameterSpec(name, shape, Role.WEIGHT, new Init.HeNormal());
  }

  /**
   * A bias, zeros.
   *
   * @param name the parameter's name in its block
   * @param channels its length
   * @return a BIAS spec of shape [channels]
   */
  public static ParameterSpec bias(String name, int channels) {
    return new ParameterSpec(name, Shape.of(channels), Role.BIAS, new Init.Constant(0));
  }

  /**
   * The four parameters of one batch normalisation over {@code channels}, as {@link BlockContext
   * #batchNorm} reads them: {@code prefix.gamma} (ones), {@code prefix.beta} (zeros) and the
   * running statistics {@code prefix.mean} (zeros), {@code prefix.variance} (ones).
   *
   * @param prefix the batch normalisation's name in its block, e.g. {@code bn1}
   * @param channels the channels normalised
   * @return the four specs, each of shape [channels]
   */
  public static List<ParameterSpec> batchNorm(String prefix, int channels) {
    Shape s = Shape.of(channels);
    return List.of(
        new ParameterSpec(prefix + ".gamma", s, Role.SCALE, new Init.Constant(1)),
        new ParameterSpec(prefix + ".beta", s, Role.OFFSET, new Init.Constant(0)),
        new ParameterSpec(prefix + ".mean", s, Role.RUNNING_MEAN, new Init.Constant(0)),
        new ParameterSpec(prefix + ".variance", s, Role.RUNNING_VARIANCE, new Init.Constant(1)));
  }

  /** {@return whether gradient descent updates this parameter: false for running statistics} */
  public boolean trainable() {
    return role.trainable();
  }

  /**
   * The initial value of this parameter stacked over {@code blocks} blocks ([blocks, shape...]), or
   * unstacked (shape) when {@code blocks} is 0. Random draws come from stateless generators, so the
   * same seeds give the same weights in every graph.
   *
   * @param <T> the element type
   * @param tf ops of the graph to build in
   * @param dtype the element type's class
   * @param blocks the number of blocks to stack over, or 0 for one unstacked value
   * @param seed the model's seed
   * @param stream distinguishes parameters drawn with the same seed
   * @param scale multiplies the He-normal standard deviation
   * @return the initial value, [blocks, shape...] or shape
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
    if (init instanceof Init.Constant c) {
      return tf.fill(s, ResourceVariable.unfolded(tf, tf.constant(dtype, c.value())));
    }
    Operand<TInt64> seeds = ResourceVariable.unfolded(tf, tf.constant(new long[] {seed, stream}));
    if (init instanceof Init.Uniform u) {
      Operand<T> unit = tf.random.statelessRandomUniform(s, seeds, dtype);
      return tf.math.add(
          tf.math.mul(unit, tf.constant(dtype, u.upper() - u.lower())),
          tf.constant(dtype, u.lower()));
    }
    return tf.math.mul(
        tf.random.statelessTruncatedNormal(s, seeds, dtype),
        tf.constant(dtype, scale * Math.sqrt(2.0 / fanIn())));
  }

  /** This parameter's shape for one block, as an int32 tensor (a TensorList's element shape). */
  Operand<TInt32> shape(Ops tf) {
    long[] dims = shape.asArray();
    int[] ints = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      ints[i] = (int) dims[i];
    }
    return tf.constant(ints);
  }

  /**
   * {@return the fan-in used by {@link Init.HeNormal}: the product of all but the last dimension}
   */
  public long fanIn() {
    long f = 1;
    for (int i = 0; i < shape.numDimensions() - 1; i++) {
      f *= shape.size(i);
    }
    return Math.max(f, 1);
  }
}
