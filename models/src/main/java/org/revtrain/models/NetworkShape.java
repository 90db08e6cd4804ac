package org.revtrain.models;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.ParameterSpec;

/**
 * The sizes a network of a {@link ModelSpec} has on images of a given side, read from the same
 * parts {@link Network} builds its variables from: the scalars of its variables and, per unit, the
 * side, channels and blocks of its state.
 *
 * @param spec the network
 * @param image the side of the (square) input images in pixels
 * @param variables scalars of every variable (weights and batch-norm statistics)
 * @param trainable scalars the optimizer updates
 * @param units each unit's state, bottom to top
 */
public record NetworkShape(
    ModelSpec spec, int image, long variables, long trainable, List<Unit> units) {

  /**
   * One unit's state.
   *
   * @param blocks the unit's blocks
   * @param side the side of its state in pixels (the image's, halved by each transition below)
   * @param channels channels of each of its two state tensors
   */
  public record Unit(int blocks, int side, int channels) {
    /** {@return scalars of one state tensor of one example: side² · channels} */
    public long elements() {
      return (long) side * side * channels;
    }

    /**
     * Multiply-adds of one convolution of one example, up to the kernel size: side² · channels².
     *
     * @return side² · channels²
     */
    public long convolutionWork() {
      return elements() * channels;
    }
  }

  /**
   * Copies the units.
   *
   * @param spec the network
   * @param image the side of the (square) input images in pixels
   * @param variables scalars of every variable (weights and batch-norm statistics)
   * @param trainable scalars the optimizer updates
   * @param units each unit's state, bottom to top
   */
  public NetworkShape {
    units = List.copyOf(units);
  }

  /**
   * The shape of {@code spec}'s network on {@code image}-pixel images.
   *
   * @param inputChannels channels of the images
   * @param classes number of classes
   * @param spec the architecture
   * @param image the side of the (square) images, in pixels
   * @return the shape
   */
  public static NetworkShape of(ModelSpec spec, int inputChannels, int classes, int image) {
    if (image < 1) {
      throw new IllegalArgumentException("image side must be at least 1, got " + image);
    }
    List<ParameterSpec> plain = new ArrayList<>(Architecture.stem(inputChannels, spec.filters(0)));
    plain.addAll(Architecture.head(spec.filters(spec.units()), classes));
    long variables = size(plain, false);
    long trainable = size(plain, true);
    List<Unit> units = new ArrayList<>();
    int side = image;
    for (int u = 0; u < spec.units(); u++) {
      if (u > 0) {
        side = Math.max(1, side / 2);
      }
      int channels = Architecture.stateChannels(spec, u);
      List<ParameterSpec> block = spec.kind().parameters(spec.batchNorm(), channels);
      variables += spec.blocks(u) * size(block, false);
      trainable += spec.blocks(u) * size(block, true);
      units.add(new Unit(spec.blocks(u), side, channels));
    }
    return new NetworkShape(spec, image, variables, trainable, units);
  }

  private static long size(List<ParameterSpec> ps, boolean trainableOnly) {
    return ps.stream()
        .filter(p -> !trainableOnly || p.trainable())
        .mapToLong(p -> p.shape().size())
        .sum();
  }
}
