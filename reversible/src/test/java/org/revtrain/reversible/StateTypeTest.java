package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * A float32 unit whose state is carried in float64 ({@link ReversibleUnitBuilder#stateType})
 * reconstructs its input exactly, so its REVERSIBLE and CHECKPOINT gradients equal STORED ones of
 * the same unit at float32 resolution, at depths and step sizes where a float32 state drifts (at 64
 * blocks, h = 0.5: midpoint 3e-2, leapfrog 8e-3 relative gradient error).
 */
class StateTypeTest {
  private static final int BLOCKS = 64;
  private static final double H = 0.5;

  private static UnitProbe.Values run(ReversibleBlock block, GradientMode mode) {
    return UnitProbe.run(
        ReversibleUnit.builder(block)
            .blocks(BLOCKS)
            .stepSize(H)
            .mode(mode)
            .seed(11)
            .initScale(0.5)
            .stateType(TFloat64.class),
        4,
        TFloat32.class,
        5);
  }

  private static void assertAgree(String what, UnitProbe.Values stored, UnitProbe.Values other) {
    for (String k : stored.values().keySet()) {
      if (k.startsWith("d")) {
        double e = UnitProbe.relativeError(other.get(k), stored.get(k));
        assertTrue(e <= 1e-6, what + ": gradient " + k + " relative error " + e + " > 1e-6");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.revtrain.reversible.BlockKinds#all")
  void float64StateMakesFloat32ReconstructionExactAndGradientsEqualStored(
      String kind, ReversibleBlock block) {
    UnitProbe.Values stored = run(block, GradientMode.stored());
    UnitProbe.Values reversible = run(block, GradientMode.reversible());
    double error = reversible.get("error")[0];
    assertTrue(error <= 1e-12, kind + ": reconstruction error " + error);
    assertAgree(kind + " reversible", stored, reversible);
    assertAgree(kind + " checkpoint:8", stored, run(block, GradientMode.checkpoint(8)));
  }

  @Test
  void stateTypeIsTheUnitsOwnByDefaultAndNeverNarrower() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ReversibleUnitBuilder b = ReversibleUnit.builder(new HamiltonianBlock(false)).channels(2);
      try (ReversibleUnit<TFloat32> unit = b.build(tf, TFloat32.class)) {
        assertEquals(TFloat32.class, unit.stateType());
      }
      b.name("wide").stateType(TFloat64.class);
      try (ReversibleUnit<TFloat32> unit = b.build(tf, TFloat32.class)) {
        assertEquals(TFloat64.class, unit.stateType());
      }
      b.name("narrow").stateType(TFloat32.class);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> b.build(tf, TFloat64.class));
      assertTrue(e.getMessage().contains("TFloat64"), e.getMessage());
    }
  }
}
