package org.revtrain.experiments;

import java.util.List;
import org.revtrain.models.BlockKind;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Models;
import org.revtrain.reversible.GradientMode;
import org.revtrain.trainer.Precision;
import org.revtrain.trainer.UsageException;

/**
 * A model of a family at a depth, as the ablations name them ({@code hamiltonian} at 1202 layers):
 * the named model when there is one, otherwise Chang et al.'s three-unit layout with as many blocks
 * per unit as the depth needs.
 */
final class ModelFamilies {
  private ModelFamilies() {}

  /** The names a command gives the options {@link #check} reads, for its messages. */
  record Flags(String families, String modes, String stateDtypes) {}

  /**
   * Checks an ablation's choices before its sweep starts, so that bad input fails at once, with one
   * line naming the flag, and never halfway through a sweep.
   *
   * @throws UsageException for an unknown family or mode, a depth the family cannot have, or a
   *     state type other than float32 and float64
   */
  static void check(
      Flags flags,
      List<String> families,
      List<Integer> layers,
      List<String> modes,
      List<String> stateDtypes) {
    for (String s : stateDtypes) {
      try {
        Precision.parse(s);
      } catch (IllegalArgumentException e) {
        throw new UsageException(flags.stateDtypes() + " " + s + ": " + e.getMessage());
      }
    }
    for (String m : modes) {
      try {
        GradientMode.parse(m);
      } catch (IllegalArgumentException e) {
        throw new UsageException(flags.modes() + " " + m + ": " + e.getMessage());
      }
    }
    for (String f : families) {
      try {
        BlockKind.byId(f);
      } catch (IllegalArgumentException e) {
        throw new UsageException(flags.families() + " " + f + ": " + e.getMessage());
      }
      for (int l : layers) {
        try {
          at(f, l);
        } catch (IllegalArgumentException e) {
          throw new UsageException(e.getMessage());
        }
      }
    }
  }

  /**
   * As {@link #at(String, int)}, with the reversible units' state carried in {@code stateDtype}.
   *
   * @throws IllegalArgumentException unless it is float32 or float64
   */
  static ModelSpec at(String family, int layers, String stateDtype) {
    boolean wide = Precision.parse(stateDtype) == Precision.FLOAT64;
    return at(family, layers).toBuilder().float64State(wide).build();
  }

  /** The type {@code spec}'s reversible units carry their state in, as the ablations name it. */
  static String stateDtype(ModelSpec spec) {
    return (spec.float64State() ? Precision.FLOAT64 : Precision.FLOAT32).id();
  }

  static ModelSpec at(String family, int layers) {
    String name = family + "-" + layers;
    if (Models.named().containsKey(name)) {
      return Models.byName(name);
    }
    BlockKind kind = BlockKind.byId(family);
    int perBlock = kind.convLayers();
    int blocks = layers - 2;
    if (blocks <= 0 || blocks % (3 * perBlock) != 0) {
      throw new IllegalArgumentException(
          "--layers "
              + layers
              + " does not fit a three-unit "
              + family
              + " network: layers must be "
              + (3 * perBlock)
              + "·n + 2");
    }
    int n = blocks / (3 * perBlock);
    int[] filters = layers >= 1202 ? new int[] {32, 32, 64, 128} : new int[] {32, 32, 64, 112};
    return ModelSpec.builder(kind)
        .name(name)
        .blocksPerUnit(n, n, n)
        .filters(filters)
        .stepSize(1.0)
        .batchNorm(kind.supportsBatchNorm())
        .build();
  }

  /** Layers of a Hamiltonian-style network with {@code n} blocks per unit. */
  static int layers(String family, int blocksPerUnit) {
    return 3 * blocksPerUnit * BlockKind.byId(family).convLayers() + 2;
  }
}
