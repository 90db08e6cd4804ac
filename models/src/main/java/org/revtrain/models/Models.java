package org.revtrain.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named models, by name. Chang et al.'s CIFAR configurations: {@code hamiltonian-38/74/110/218}
 * with blocks [3,3,3] … [18,18,18] and filters (32, 32, 64, 112), {@code hamiltonian-1202} with
 * [100,100,100] and (32, 32, 64, 128), h = 1, batch norm inside σ. Midpoint and leapfrog blocks
 * have two convolution layers, so their models of the same depth have twice the blocks. RevNet
 * models follow Gomez et al.'s basic-block configurations.
 */
public final class Models {
  private static final Map<String, ModelSpec> NAMED = new LinkedHashMap<>();

  static {
    int[][] hamiltonian = {{38, 3}, {74, 6}, {110, 9}, {218, 18}, {1202, 100}};
    for (int[] c : hamiltonian) {
      int[] filters = c[0] == 1202 ? new int[] {32, 32, 64, 128} : new int[] {32, 32, 64, 112};
      add(BlockKind.HAMILTONIAN, c[0], c[1], filters, true);
      add(BlockKind.MIDPOINT, c[0], 2 * c[1], filters, false);
      add(BlockKind.LEAPFROG, c[0], 2 * c[1], filters, false);
    }
    add(BlockKind.REVNET, 38, 3, new int[] {32, 32, 64, 112}, true);
    add(BlockKind.REVNET, 110, 9, new int[] {32, 32, 64, 128}, true);
    put(
        ModelSpec.builder(BlockKind.HAMILTONIAN)
            .name("hamiltonian-tiny")
            .blocksPerUnit(2, 2, 2)
            .filters(16, 16, 32, 64)
            .stepSize(0.5)
            .batchNorm(true)
            .build());
  }

  private Models() {}

  private static void add(BlockKind kind, int layers, int blocks, int[] filters, boolean bn) {
    put(
        ModelSpec.builder(kind)
            .name(kind.id() + "-" + layers)
            .blocksPerUnit(blocks, blocks, blocks)
            .filters(filters)
            .stepSize(1.0)
            .batchNorm(bn)
            .build());
  }

  private static void put(ModelSpec spec) {
    NAMED.put(spec.name(), spec);
  }

  /** The default model of the command line: small enough to train in minutes on two cores. */
  public static final String DEFAULT = "hamiltonian-tiny";

  /** All named models, in listing order. */
  public static Map<String, ModelSpec> named() {
    return Collections.unmodifiableMap(NAMED);
  }

  /** The model called {@code name}; fails listing the known names. */
  public static ModelSpec byName(String name) {
    ModelSpec spec = NAMED.get(name);
    if (spec == null) {
      throw new IllegalArgumentException(
          "unknown model '" + name + "'; known models: " + String.join(", ", NAMED.keySet()));
    }
    return spec;
  }
}
