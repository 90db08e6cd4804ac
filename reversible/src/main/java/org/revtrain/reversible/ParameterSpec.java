package org.revtrain.reversible;

import java.util.Objects;
import org.tensorflow.ndarray.Shape;

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

  /** Fan-in used by {@link Init#HE_NORMAL}. */
  public long fanIn() {
    long f = 1;
    for (int i = 0; i < shape.numDimensions() - 1; i++) {
      f *= shape.size(i);
    }
    return Math.max(f, 1);
  }
}
