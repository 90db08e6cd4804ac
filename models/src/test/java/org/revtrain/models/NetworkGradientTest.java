package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.revtrain.reversible.GradientMode;
import org.tensorflow.types.TFloat64;

/** Issue 3, acceptance 1: whole-network REVERSIBLE gradients equal STORED ones in float64. */
class NetworkGradientTest {

  /**
   * Two units and a transition. The bottleneck RevNet normalises and rectifies its input first
   * (pre-activation), so channels zero-padded at a unit's entry would put ReLU exactly on its kink
   * at initialisation (β = 0), where the reconstruction's rounding noise (~1e-17, amplified by the
   * normalisation) flips ReLU's derivative: a property of that point, not of the backward pass. Its
   * network keeps the width, so nothing is padded (the transition still pools).
   */
  private static ModelSpec small(BlockKind kind, double survival) {
    int[] filters = kind == BlockKind.REVNET_BOTTLENECK ? new int[] {8, 8, 8} : new int[] {4, 4, 8};
    return ModelSpec.builder(kind)
        .blocksPerUnit(3, 2)
        .filters(filters)
        .stepSizes(0.3, 0.2, 0.25, 0.3, 0.1)
        .batchNorm(kind.supportsBatchNorm())
        .finalSurvival(survival)
        .build();
  }

  private static void assertSame(BlockKind kind, double survival) {
    ModelSpec spec = small(kind, survival);
    Map<String, double[]> stored = NetworkProbe.gradients(spec, GradientMode.stored(), TFloat64.class, 3, 8, 3);
    Map<String, double[]> rev = NetworkProbe.gradients(spec, GradientMode.reversible(), TFloat64.class, 3, 8, 3);
    Map<String, double[]> ckpt = NetworkProbe.gradients(spec, GradientMode.checkpoint(2), TFloat64.class, 3, 8, 3);
    assertEquals(stored.keySet(), rev.keySet());
    assertTrue(stored.keySet().stream().filter(k -> k.startsWith("dunit1.")).count() >= 2, "unit gradients fetched");
    assertTrue(stored.containsKey("dstem.K") && stored.containsKey("dhead.W"), "stem and head gradients fetched");
    for (String k : stored.keySet()) {
      if (k.equals("error")) {
        continue;
      }
      double e = NetworkProbe.relativeError(rev.get(k), stored.get(k));
      double c = NetworkProbe.relativeError(ckpt.get(k), stored.get(k));
      assertTrue(e <= 1e-10, kind + " reversible " + k + ": relative error " + e);
      assertTrue(c <= 1e-10, kind + " checkpoint " + k + ": relative error " + c);
    }
  }

  static Stream<BlockKind> reversibleKinds() {
    return Arrays.stream(BlockKind.values()).filter(BlockKind::reversible);
  }

  @ParameterizedTest
  @MethodSource("reversibleKinds")
  void reversibleNetworkGradientsEqualStoredInFloat64(BlockKind kind) {
    assertSame(kind, 1.0);
  }

  @ParameterizedTest
  @MethodSource("reversibleKinds")
  void reversibleNetworkGradientsEqualStoredWithStochasticDepth(BlockKind kind) {
    assertSame(kind, 0.5);
  }
}
