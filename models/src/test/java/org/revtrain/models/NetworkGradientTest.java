package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.revtrain.reversible.GradientMode;
import org.tensorflow.types.TFloat64;

/** Issue 3, acceptance 1: whole-network REVERSIBLE gradients equal STORED ones in float64. */
class NetworkGradientTest {

  private static ModelSpec small(BlockKind kind, double survival) {
    return ModelSpec.builder(kind)
        .blocksPerUnit(3, 2)
        .filters(4, 4, 8)
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

  @ParameterizedTest
  @EnumSource(BlockKind.class)
  void reversibleNetworkGradientsEqualStoredInFloat64(BlockKind kind) {
    assertSame(kind, 1.0);
  }

  @ParameterizedTest
  @EnumSource(BlockKind.class)
  void reversibleNetworkGradientsEqualStoredWithStochasticDepth(BlockKind kind) {
    assertSame(kind, 0.5);
  }
}
