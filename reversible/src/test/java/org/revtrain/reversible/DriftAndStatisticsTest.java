package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The reconstruction error is a fetchable metric that sees float32 rounding, and batch norm's
 * running statistics are updated once per step, not again when the backward recomputes a block.
 */
class DriftAndStatisticsTest {

  @Test
  void reconstructionErrorIsAFetchableMetricThatSeesFloat32Rounding() {
    var b = ReversibleUnit.builder(new HamiltonianBlock(false)).blocks(32).stepSize(0.2).seed(2);
    double f32 =
        UnitProbe.run(b.mode(GradientMode.reversible()), 4, TFloat32.class, 1).get("error")[0];
    double f64 =
        UnitProbe.run(b.mode(GradientMode.reversible()), 4, TFloat64.class, 1).get("error")[0];
    double ckpt =
        UnitProbe.run(b.mode(GradientMode.checkpoint(4)), 4, TFloat32.class, 1).get("error")[0];
    assertTrue(f32 > 0 && f32 < 1e-3, "float32 drift " + f32);
    assertTrue(f64 < 1e-12, "float64 drift " + f64);
    assertTrue(ckpt > 0 && ckpt < 1e-3, "checkpoint drift " + ckpt);
    assertTrue(f64 < f32, "float64 drift " + f64 + " not below float32's " + f32);
  }

  @Test
  void runningStatisticsAreUpdatedOncePerStepNotDuringRecomputation() {
    for (GradientMode mode :
        new GradientMode[] {GradientMode.reversible(), GradientMode.stored()}) {
      UnitProbe.Values v =
          UnitProbe.run(
              ReversibleUnit.builder(new HamiltonianBlock(true)).blocks(3).stepSize(0.5).mode(mode),
              4,
              TFloat64.class,
              9);
      double[] batchMean = v.get("batch.bn1.mean");
      double[] running = v.get("value.bn1.mean");
      double[] variance = v.get("value.bn1.variance");
      double[] batchVariance = v.get("batch.bn1.variance");
      assertEquals(batchMean.length, running.length);
      for (int i = 0; i < running.length; i++) {
        // momentum 0.9 from mean 0 / variance 1: one update gives exactly these values
        assertEquals(0.1 * batchMean[i], running[i], 1e-12, mode + " running mean " + i);
        assertEquals(
            0.9 + 0.1 * batchVariance[i], variance[i], 1e-12, mode + " running variance " + i);
      }
      assertTrue(
          java.util.Arrays.stream(batchMean).anyMatch(x -> Math.abs(x) > 1e-3),
          "batch means are not trivial");
    }
  }
}
