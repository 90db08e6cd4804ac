package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.revtrain.reversible.GradientMode;
import org.tensorflow.types.TBfloat16;

/**
 * The smallest named model of every family trains for 20 SGD steps (η = 0.05) on a generated
 * learnable batch (8 images of 16x16x3, 4 classes with class-dependent mean images) with a falling
 * loss: the mean of the last 3 losses is below 3/4 of the mean of the first 3, and every loss is
 * finite. Reversible kinds train in REVERSIBLE mode, the others in STORED mode (their only one);
 * reversible ones also with bfloat16 fields on their float32 weights (the fused update steps the
 * float32 masters).
 */
class TrainingTest {
  private static final int STEPS = 20;

  private static double[] train(ModelSpec spec) {
    GradientMode mode =
        spec.kind().reversible() ? GradientMode.reversible() : GradientMode.stored();
    try (TrainingRun run = new TrainingRun(spec, mode, 8, 16, 3, 4, 0.05)) {
      double[] losses = new double[STEPS];
      for (int i = 0; i < STEPS; i++) {
        losses[i] = run.step();
      }
      return losses;
    }
  }

  private static void assertFalls(ModelSpec spec) {
    double[] l = train(spec);
    String all = spec.name() + " (" + spec.kind().id() + "): losses " + Arrays.toString(l);
    assertTrue(Arrays.stream(l).allMatch(Double::isFinite), all);
    double first = (l[0] + l[1] + l[2]) / 3;
    double last = (l[STEPS - 1] + l[STEPS - 2] + l[STEPS - 3]) / 3;
    assertTrue(last < 0.75 * first, all);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "hamiltonian-tiny",
        "midpoint-38",
        "leapfrog-38",
        "revnet-38",
        "revnet-164",
        "resnet-32",
        "lm-resnet-20",
        "euler-20",
        "rk4-26"
      })
  void smallestNamedModelOfEachFamilyTrainsWithFallingLoss(String model) {
    assertFalls(Models.byName(model));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"hamiltonian-tiny", "revnet-38"})
  void bfloat16FieldsOnFloat32WeightsTrainWithFallingLoss(String model) {
    assertFalls(Models.byName(model).toBuilder().fieldType(TBfloat16.class).build());
  }

  @Test
  void explicitKindsRefuseMixedPrecision() {
    ModelSpec.Builder b = Models.byName("resnet-32").toBuilder().fieldType(TBfloat16.class);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("not reversible"), e.getMessage());
  }

  @Test
  void lmResnetTrainsWithStochasticDepth() {
    assertFalls(Models.byName("lm-resnet-20").toBuilder().finalSurvival(0.5).build());
  }
}
