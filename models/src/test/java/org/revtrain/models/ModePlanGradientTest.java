package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.reversible.GradientMode;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** A network whose units each have their own gradient mode. */
class ModePlanGradientTest {
  private static ModelSpec threeUnits(BlockKind kind) {
    return ModelSpec.builder(kind)
        .blocksPerUnit(2, 3, 2)
        .filters(4, 4, 8, 8)
        .stepSize(0.3)
        .batchNorm(kind.supportsBatchNorm())
        .build();
  }

  @Test
  void mixedPlanGradientsEqualStoredInFloat64() {
    for (BlockKind kind : List.of(BlockKind.HAMILTONIAN, BlockKind.MIDPOINT)) {
      ModelSpec spec = threeUnits(kind);
      ModePlan mixed =
          new ModePlan(
              List.of(
                  GradientMode.reversible(), GradientMode.checkpoint(2), GradientMode.stored()));
      Map<String, double[]> stored =
          NetworkProbe.gradients(spec, GradientMode.stored(), TFloat64.class, 3, 8, 3);
      Map<String, double[]> plan = NetworkProbe.gradients(spec, mixed, TFloat64.class, 3, 8, 3);
      assertEquals(stored.keySet(), plan.keySet());
      assertTrue(stored.keySet().stream().filter(k -> k.startsWith("dunit2.")).count() >= 2);
      for (String k : stored.keySet()) {
        if (k.equals("error")) {
          continue;
        }
        double e = NetworkProbe.relativeError(plan.get(k), stored.get(k));
        assertTrue(e <= 1e-10, kind + " " + mixed + " " + k + ": relative error " + e);
      }
    }
  }

  @Test
  void eachUnitRunsInItsPlannedMode() {
    ModelSpec spec = threeUnits(BlockKind.HAMILTONIAN);
    ModePlan plan = ModePlan.parse("reversible,checkpoint:2,stored");
    try (Graph g = new Graph();
        Network<TFloat64> net =
            Network.create(Ops.create(g), spec, 3, 10, plan, TFloat64.class, 1)) {
      assertEquals(plan, net.plan());
      for (int u = 0; u < 3; u++) {
        assertEquals(plan.mode(u), net.units().get(u).mode());
      }
    }
  }

  @Test
  void planNeedsOneSupportedModePerUnit() {
    ModelSpec spec = threeUnits(BlockKind.HAMILTONIAN);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  Network.create(
                      tf, spec, 3, 10, ModePlan.parse("stored,reversible"), TFloat64.class, 1));
      assertTrue(e.getMessage().contains("2 modes for 3 units"), e.getMessage());
    }
    assertEquals("stored,checkpoint:3", ModePlan.parse("stored, checkpoint:3").toString());
    assertTrue(ModePlan.uniform(GradientMode.stored(), 3).isUniform());
    assertThrows(IllegalArgumentException.class, () -> ModePlan.parse("stored,fast"));
  }
}
