package org.revtrain.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named models, by name.
 *
 * <ul>
 *   <li>Chang et al.'s CIFAR configurations: {@code hamiltonian-38/74/110/218} with blocks [3,3,3]
 *       … [18,18,18] and filters (32, 32, 64, 112), {@code hamiltonian-1202} with [100,100,100] and
 *       (32, 32, 64, 128), h = 1, batch norm inside σ; depth 4·blocks + 2. Midpoint and leapfrog
 *       blocks have two convolution layers, so their models of the same depth have twice the
 *       blocks; no batch norm.
 *   <li>Gomez et al.'s RevNets: {@code revnet-38} and {@code revnet-110}, basic blocks (4 layers)
 *       [3,3,3] and [9,9,9] with filters (32, 32, 64, 112) and (32, 32, 64, 128); {@code
 *       revnet-164}, bottleneck blocks (6 layers) [9,9,9] with filters (32, 128, 256, 512).
 *   <li>Stored-activation baselines, filters (16, 16, 32, 64), batch norm: {@code resnet-32/56/110}
 *       (He et al.'s 6n + 2 layers, n = 5, 9, 18 pre-activation blocks per unit, h = 1), {@code
 *       lm-resnet-20/56/110} (Lu et al., n = 3, 9, 18), {@code euler-20/56} (forward Euler,
 *       non-uniform steps h_j = 2(j+1)/(n+1) in each unit, so that they average 1), {@code
 *       rk4-26/50} (RK4 blocks of 8 layers, n = 1, 2, h = 1).
 *   <li>{@code hamiltonian-tiny}, the command line's default.
 * </ul>
 *
 * Transitions have no parameters (2x2 average pool, zero-padded channels, like He et al.'s option A
 * shortcut), so parameter counts differ slightly from the papers' strided-convolution ones.
 */
public final class Models {
  private static final Map<String, ModelSpec> NAMED = new LinkedHashMap<>();
  private static final int[] BASELINE_FILTERS = {16, 16, 32, 64};

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
        ModelSpec.builder(BlockKind.REVNET_BOTTLENECK)
            .name("revnet-164")
            .blocksPerUnit(9, 9, 9)
            .filters(32, 128, 256, 512)
            .batchNorm(true)
            .build());
    for (int[] c : new int[][] {{32, 5}, {56, 9}, {110, 18}}) {
      add(BlockKind.RESNET, c[0], c[1], BASELINE_FILTERS, true);
    }
    for (int[] c : new int[][] {{20, 3}, {56, 9}, {110, 18}}) {
      add(BlockKind.LM_RESNET, c[0], c[1], BASELINE_FILTERS, true);
    }
    for (int[] c : new int[][] {{20, 3}, {56, 9}}) {
      put(baseline(BlockKind.EULER, c[0], c[1]).stepSizes(risingSteps(c[1], 3)).build());
    }
    for (int[] c : new int[][] {{26, 1}, {50, 2}}) {
      add(BlockKind.RK4, c[0], c[1], BASELINE_FILTERS, true);
    }
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

  private static ModelSpec.Builder baseline(BlockKind kind, int layers, int blocks) {
    return ModelSpec.builder(kind)
        .name(kind.id() + "-" + layers)
        .blocksPerUnit(blocks, blocks, blocks)
        .filters(BASELINE_FILTERS)
        .batchNorm(true);
  }

  /** h_j = 2(j+1)/(n+1) for j = 0 … n−1 in each of {@code units} units: rising, mean 1. */
  private static double[] risingSteps(int n, int units) {
    double[] h = new double[n * units];
    for (int i = 0; i < h.length; i++) {
      h[i] = 2.0 * (i % n + 1) / (n + 1);
    }
    return h;
  }

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

  /** {@return all named models, in listing order} */
  public static Map<String, ModelSpec> named() {
    return Collections.unmodifiableMap(NAMED);
  }

  /**
   * The model called {@code name}; fails listing the known names.
   *
   * @param name a named model, e.g. {@code hamiltonian-74}
   * @return its spec
   */
  public static ModelSpec byName(String name) {
    ModelSpec spec = NAMED.get(name);
    if (spec == null) {
      throw new IllegalArgumentException(
          "unknown model '" + name + "'; known models: " + String.join(", ", NAMED.keySet()));
    }
    return spec;
  }

  /**
   * The named models with their layers, blocks, filters, trainable parameters and supported
   * gradient modes, in listing order. Counted from the architecture (no graph is built).
   *
   * @param inputChannels channels of the images (3 for colour)
   * @param classes number of classes (10 for CIFAR-10)
   * @return one row per named model
   */
  public static List<ModelDescription> describe(int inputChannels, int classes) {
    List<ModelDescription> rows = new ArrayList<>();
    for (ModelSpec spec : NAMED.values()) {
      rows.add(describe(spec, inputChannels, classes));
    }
    return List.copyOf(rows);
  }

  /**
   * One model's row of {@link #describe(int, int)}; works for custom specs too.
   *
   * @param spec the architecture
   * @param inputChannels channels of the images
   * @param classes number of classes
   * @return its row
   */
  public static ModelDescription describe(ModelSpec spec, int inputChannels, int classes) {
    if (inputChannels < 1 || classes < 2) {
      throw new IllegalArgumentException(
          "need at least 1 input channel and 2 classes, got " + inputChannels + " and " + classes);
    }
    return new ModelDescription(
        spec.name(),
        spec.kind(),
        spec.layers(),
        Arrays.stream(spec.blocksPerUnit()).boxed().toList(),
        Arrays.stream(spec.filters()).boxed().toList(),
        Architecture.trainableParameters(spec, inputChannels, classes),
        spec.kind().modes());
  }
}
