package org.revtrain.models.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Models;
import org.revtrain.models.NetworkShape;
import org.revtrain.reversible.GradientMode;

/** The memory model against the steps it was calibrated on, and the plans it chooses. */
class MemoryModelTest {
  private static final int UNITS = 3;

  private static MemoryModel model(ModelSpec spec, int batch) {
    return new MemoryModel(NetworkShape.of(spec, 3, 10, 32), batch, 4, 1);
  }

  private static long peak(MemoryModel m, GradientMode mode) {
    return m.peakBytes(ModePlan.uniform(mode, UNITS));
  }

  @Test
  void reproducesTheCalibrationSteps() {
    for (MemoryModel.Measured s : MemoryModel.Measured.values()) {
      MemoryModel small = model(s.spec(s.blocks), 32);
      MemoryModel deep = model(s.spec(s.deeper), 32);
      assertClose(s.stored, peak(small, GradientMode.stored()), 1e-6, s + " stored");
      assertClose(s.storedDeeper, peak(deep, GradientMode.stored()), 1e-6, s + " stored deeper");
      assertClose(s.reversible, peak(small, GradientMode.reversible()), 1e-6, s + " reversible");
      assertClose(s.checkpoint, peak(small, GradientMode.checkpoint(2)), 1e-6, s + " checkpoint");
      assertClose(
          s.checkpointDeeper, peak(deep, GradientMode.checkpoint(2)), 1e-6, s + " ckpt deeper");
    }
  }

  /**
   * Trainer steps measured on 2026-12-03 ({@code revtrain plan --measure}, fresh JVMs) that the
   * calibration did not use: within 15%.
   */
  @Test
  void predictsStepsItWasNotCalibratedOn() {
    MemoryModel h218 = model(Models.byName("hamiltonian-218"), 32);
    assertClose(mib(90.4), peak(h218, GradientMode.reversible()), 0.15, "hamiltonian-218 rev");
    MemoryModel h38at64 = model(Models.byName("hamiltonian-38"), 64);
    assertClose(
        mib(248.7), peak(h38at64, GradientMode.stored()), 0.15, "hamiltonian-38 b64 stored");
    assertClose(
        mib(160.0), peak(h38at64, GradientMode.reversible()), 0.15, "hamiltonian-38 b64 rev");
    assertClose(
        mib(216.8), peak(h38at64, GradientMode.checkpoint(2)), 0.15, "hamiltonian-38 b64 ck");
  }

  private static long mib(double m) {
    return Math.round(m * 1048576);
  }

  @Test
  void plansStoredWhenGenerousReversibleWhenTightAndMixedBetween() {
    MemoryModel m = model(Models.byName("hamiltonian-218"), 32);
    long stored = peak(m, GradientMode.stored());
    long reversible = peak(m, GradientMode.reversible());
    Planner.Choice generous = Planner.plan(m, 2 * stored);
    assertEquals(ModePlan.uniform(GradientMode.stored(), UNITS), generous.plan());
    assertEquals(1.0, generous.relativeCompute(), 1e-12);
    Planner.Choice tight = Planner.plan(m, reversible + reversible / 10 + 1);
    assertEquals(ModePlan.uniform(GradientMode.reversible(), UNITS), tight.plan());
    assertTrue(tight.fits());
    assertFalse(Planner.plan(m, reversible).fits(), "the prediction alone leaves no allowance");
    Planner.Choice middle = Planner.plan(m, (stored + reversible) / 2);
    assertTrue(middle.fits());
    assertFalse(middle.plan().isUniform(), middle.plan().toString());
    assertEquals(GradientMode.reversible(), middle.plan().mode(0), "the largest unit reconstructs");
    assertTrue(middle.plan().modes().contains(GradientMode.stored()), middle.plan().toString());
    ModePlan bottomOnly = ModePlan.parse("reversible,stored,stored");
    long enough = m.peakBytes(bottomOnly) + m.peakBytes(bottomOnly) / 10 + 1;
    assertEquals(bottomOnly, Planner.plan(m, enough).plan(), "reconstructs the largest unit only");
    assertTrue(middle.relativeCompute() > 1 && middle.relativeCompute() < 4.0 / 3);
    Planner.Choice impossible = Planner.plan(m, reversible / 2);
    assertFalse(impossible.fits());
    assertEquals(ModePlan.uniform(GradientMode.reversible(), UNITS), impossible.plan());
  }

  @Test
  void explicitKindsAreOnlyStoredAndMomentumAddsASlot() {
    ModelSpec resnet = Models.byName("resnet-32");
    MemoryModel m = new MemoryModel(NetworkShape.of(resnet, 3, 10, 32), 8, 4, 0);
    assertEquals(GradientMode.stored(), Planner.plan(m, 1).plan().mode(0));
    MemoryModel withMomentum = new MemoryModel(NetworkShape.of(resnet, 3, 10, 32), 8, 4, 1);
    assertEquals(4 * m.shape().trainable(), withMomentum.persistentBytes() - m.persistentBytes());
  }

  private static void assertClose(long expected, long actual, double tolerance, String what) {
    double e = Math.abs(actual - expected) / (double) expected;
    System.out.printf(
        java.util.Locale.ROOT,
        "%s: measured %.1f MiB, predicted %.1f MiB (%.1f%%)%n",
        what,
        expected / 1048576.0,
        actual / 1048576.0,
        100 * e);
    assertTrue(e <= tolerance, what + ": predicted " + actual + ", measured " + expected);
  }
}
