package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.revtrain.reversible.GradientMode;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The trainable parameters of every named model (and of every kind's custom variants) equal a
 * closed-form count written here from the architecture, independently of the library's parameter
 * specs. Graphs are built, never run.
 */
class ParameterCountTest {

  /**
   * Stem 3x3 conv C_in → F_0 with BN γβ; per block by kind; head BN γβ + fully connected + bias.
   */
  static long closedForm(ModelSpec spec, int in, int classes) {
    long f0 = spec.filters(0);
    long n = 9 * in * f0 + 2 * f0;
    for (int u = 0; u < spec.units(); u++) {
      n += spec.blocks(u) * perBlock(spec.kind(), spec.batchNorm(), spec.filters(u + 1));
    }
    long last = spec.filters(spec.units());
    return n + 2 * last + last * classes + classes;
  }

  /** One block at features of F channels. */
  static long perBlock(BlockKind kind, boolean bn, long f) {
    long c = f / 2;
    return switch (kind) {
      // K1, K2 on channel halves; a bias each, or BN γβ each
      case HAMILTONIAN, HAMILTONIAN_RK4 -> 2 * (9 * c * c + (bn ? 2 * c : c));
      // one kernel K and bias b on the whole features
      case MIDPOINT, MIDPOINT_ANTISYMMETRIC, LEAPFROG -> 9 * f * f + f;
      // F and G on halves, each W_a, (c_a | BN γβ), W_b, c_b
      case REVNET -> 2 * (18 * c * c + (bn ? 3 * c : 2 * c));
      // F and G on halves, each 1x1 c→b, 3x3 b→b, 1x1 b→c (b = c/4, at least 1) with
      // BN γβ before each (over c, b, b), or biases after each (b, b, c)
      case REVNET_BOTTLENECK -> {
        long b = Math.max(1, c / 4);
        yield 2 * (2 * c * b + 9 * b * b + (bn ? 2 * c + 4 * b : c + 2 * b));
      }
      // pre-activation block: K1, K2 and BN1, BN2 γβ, or biases b1, b2
      case RESNET, EULER, RK4 -> 18 * f * f + (bn ? 4 * f : 2 * f);
      // as ResNet plus the multi-step coefficient k_n
      case LM_RESNET -> 18 * f * f + (bn ? 4 * f : 2 * f) + 1;
    };
  }

  private static long networkCount(ModelSpec spec, int in, int classes) {
    try (Graph g = new Graph();
        Network<TFloat32> net =
            Network.create(
                Ops.create(g), spec, in, classes, GradientMode.stored(), TFloat32.class, 1)) {
      return net.trainableParameterCount();
    }
  }

  static Stream<ModelSpec> namedModels() {
    return Models.named().values().stream();
  }

  @ParameterizedTest
  @MethodSource("namedModels")
  void namedModelHasItsClosedFormParameterCount(ModelSpec spec) {
    long expected = closedForm(spec, 3, 10);
    assertEquals(expected, networkCount(spec, 3, 10), spec + ": network variables");
    assertEquals(expected, Models.describe(spec, 3, 10).parameters(), spec + ": listing");
  }

  @Test
  void listingHasEveryNamedModelWithLayersFromItsName() {
    List<ModelDescription> rows = Models.describe(3, 10);
    assertEquals(
        List.copyOf(Models.named().keySet()), rows.stream().map(ModelDescription::name).toList());
    for (ModelDescription r : rows) {
      ModelSpec spec = Models.byName(r.name());
      assertEquals(closedForm(spec, 3, 10), r.parameters(), r.name());
      assertEquals(
          r.kind().reversible() ? "stored, reversible, checkpoint:K" : "stored", r.modes());
      if (!r.name().endsWith("-tiny")) {
        assertTrue(r.name().endsWith("-" + r.layers()), r.name() + ": layers in the name");
      }
    }
    Map<String, Integer> expectedLayers =
        Map.of("resnet-32", 32, "resnet-110", 110, "lm-resnet-56", 56, "hamiltonian-1202", 1202);
    expectedLayers.forEach(
        (name, layers) -> assertEquals(layers, Models.byName(name).layers(), name));
  }

  @Test
  void resnet32HasTheHandCountedParameters() {
    // stem 9·3·16 + 32 = 464; units 5·(18·16² + 64) + 5·(18·32² + 128) + 5·(18·64² + 256)
    // = 23,360 + 92,800 + 369,920; head 128 + 640 + 10 = 778
    assertEquals(487_322, networkCount(Models.byName("resnet-32"), 3, 10));
  }

  static Stream<Arguments> customVariants() {
    List<Arguments> all = new ArrayList<>();
    for (BlockKind kind : BlockKind.values()) {
      all.add(Arguments.of(kind, false));
      if (kind.supportsBatchNorm()) {
        all.add(Arguments.of(kind, true));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("customVariants")
  void customModelOfEveryKindHasItsClosedFormCount(BlockKind kind, boolean bn) {
    ModelSpec spec =
        ModelSpec.builder(kind).blocksPerUnit(2, 3).filters(6, 8, 12).batchNorm(bn).build();
    assertEquals(closedForm(spec, 1, 7), networkCount(spec, 1, 7), kind + " bn=" + bn);
  }
}
