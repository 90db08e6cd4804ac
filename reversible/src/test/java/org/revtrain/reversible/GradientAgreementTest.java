package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Inversion recovers the input, and REVERSIBLE and CHECKPOINT gradients of every weight and of the
 * input equal STORED (plain autodiff) ones.
 */
class GradientAgreementTest {
  private static final int CHANNELS = 4;

  private static UnitProbe.Values run(
      ReversibleBlock block,
      int blocks,
      double h,
      GradientMode mode,
      Class<? extends TFloating> dtype) {
    return UnitProbe.run(
        ReversibleUnit.builder(block).blocks(blocks).stepSize(h).mode(mode).seed(11).initScale(0.5),
        CHANNELS,
        dtype,
        5);
  }

  private static void assertAgree(
      String what, UnitProbe.Values stored, UnitProbe.Values other, double tolerance) {
    for (String k : stored.values().keySet()) {
      if (!k.startsWith("d")) {
        continue;
      }
      double e = UnitProbe.relativeError(other.get(k), stored.get(k));
      assertTrue(
          e <= tolerance, what + ": gradient " + k + " relative error " + e + " > " + tolerance);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.revtrain.reversible.BlockKinds#all")
  void inverseOfForwardRecoversInputAt64BlocksInFloat64(String kind, ReversibleBlock block) {
    UnitProbe.Values rev = run(block, 64, 0.1, GradientMode.reversible(), TFloat64.class);
    double error = rev.get("error")[0];
    assertTrue(error <= 1e-12, kind + ": reconstruction error " + error);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.revtrain.reversible.BlockKinds#all")
  void reversibleAndCheckpointGradientsEqualStoredAt64BlocksInFloat64(
      String kind, ReversibleBlock block) {
    UnitProbe.Values stored = run(block, 64, 0.1, GradientMode.stored(), TFloat64.class);
    assertAgree(
        kind + " reversible",
        stored,
        run(block, 64, 0.1, GradientMode.reversible(), TFloat64.class),
        1e-10);
    assertAgree(
        kind + " checkpoint:8",
        stored,
        run(block, 64, 0.1, GradientMode.checkpoint(8), TFloat64.class),
        1e-10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.revtrain.reversible.BlockKinds#all")
  void reversibleAndCheckpointGradientsEqualStoredAt16BlocksInFloat32(
      String kind, ReversibleBlock block) {
    UnitProbe.Values stored = run(block, 16, 0.1, GradientMode.stored(), TFloat32.class);
    assertAgree(
        kind + " reversible",
        stored,
        run(block, 16, 0.1, GradientMode.reversible(), TFloat32.class),
        1e-4);
    assertAgree(
        kind + " checkpoint:3",
        stored,
        run(block, 16, 0.1, GradientMode.checkpoint(3), TFloat32.class),
        1e-4);
  }
}
