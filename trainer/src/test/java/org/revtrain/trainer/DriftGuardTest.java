package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.models.BlockKind;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.reversible.GradientMode;

/**
 * Certified reconstruction: a float32-state leapfrog network whose reconstruction error exceeds the
 * drift tolerance switches the offending unit to a mode that stores more, logs it, and trains on
 * with gradients that agree with STORED ones.
 */
class DriftGuardTest {
  private static final double FLOAT32_ROUND_OFF = 0x1p-24;

  @TempDir Path dir;

  @Test
  void aReversibleUnitOverTheToleranceGoesToTheCheckpointIntervalOfItsErrorGrowth() {
    DriftGuard guard = new DriftGuard(1e-4, FLOAT32_ROUND_OFF, new int[] {6, 6, 6});
    // 6 inversions reached 9e-4: geometric growth reaches 1e-4 after 6 ln(1e-4/u) / ln(9e-4/u)
    double k = 6 * Math.log(1e-4 / FLOAT32_ROUND_OFF) / Math.log(9e-4 / FLOAT32_ROUND_OFF);
    assertEquals(4, (int) Math.floor(k));
    // ... but never more than half the unit: at least halve the inversions in a row
    assertEquals(
        GradientMode.checkpoint(3), guard.next(GradientMode.reversible(), 6, 9e-4), "capped");
    assertEquals(
        GradientMode.checkpoint(2), guard.next(GradientMode.reversible(), 6, 69.0), "midpoint-38");
    assertEquals(GradientMode.checkpoint(1), guard.next(GradientMode.checkpoint(3), 6, 2e-4));
    assertEquals(GradientMode.stored(), guard.next(GradientMode.checkpoint(1), 6, 2e-4));
    assertEquals(GradientMode.stored(), guard.next(GradientMode.reversible(), 1, 2e-4));
    DriftGuard belowRoundOff = new DriftGuard(1e-9, FLOAT32_ROUND_OFF, new int[] {6});
    assertEquals(GradientMode.stored(), belowRoundOff.next(GradientMode.reversible(), 6, 1e-6));
  }

  @Test
  void oneSwitchAStepForTheWorstUnitOverTheToleranceAndNeverForAStoredOne() {
    DriftGuard guard = new DriftGuard(1e-4, FLOAT32_ROUND_OFF, new int[] {4, 4, 4});
    ModePlan plan =
        new ModePlan(
            List.of(GradientMode.stored(), GradientMode.reversible(), GradientMode.reversible()));
    assertTrue(guard.check(7, plan, List.of(0.0, 1e-5, 9e-5)).isEmpty(), "all under");
    ModeSwitch s = guard.check(7, plan, List.of(0.5, 2e-4, 3e-4)).orElseThrow();
    assertEquals(2, s.unit(), "the worst reconstructing unit; the STORED one is not switched");
    assertEquals(7, s.step());
    assertEquals(GradientMode.reversible(), s.from());
    assertEquals(3e-4, s.reconstructionError());
    assertEquals(s, ModeSwitch.fromJson(s.toJson()), "the metrics line reads back");
  }

  @Test
  void aDriftingUnitSwitchesDuringTrainingAndItsGradientsAgreeWithStored() throws Exception {
    double tolerance = 1e-4;
    ModelSpec leapfrog =
        ModelSpec.builder(BlockKind.LEAPFROG)
            .name("drifting-leapfrog")
            .blocksPerUnit(6, 6)
            .filters(4, 4, 8)
            .stepSize(2.0)
            .float64State(false)
            .build();
    TrainingConfig config =
        TinyRuns.config(10)
            .model(leapfrog)
            .mode(GradientMode.reversible())
            .driftTolerance(tolerance)
            .build();
    Path run = dir.resolve("run");
    TinyRuns.train(config, run, null, 0);

    MetricsLog log = new MetricsLog(run);
    List<ModeSwitch> switches = log.modeSwitches();
    System.out.println("drift guard: " + switches.stream().map(ModeSwitch::describe).toList());
    assertFalse(switches.isEmpty(), "a float32-state leapfrog unit drifts past " + tolerance);
    ModeSwitch first = switches.get(0);
    assertEquals(GradientMode.reversible(), first.from());
    assertTrue(first.reconstructionError() > tolerance);
    assertEquals(tolerance, first.tolerance());
    assertEquals(2, log.read(w -> {}).size(), "the metrics rows are read past the switch lines");

    Checkpoint last = Checkpoints.of(run).latest().orElseThrow();
    TrainingConfig switched = last.state().config();
    assertEquals(
        switched,
        TrainingConfig.fromJson(
            JsonParser.parseString(Files.readString(run.resolve(Trainer.CONFIG_FILE)))
                .getAsJsonObject()),
        "config.json has the plan");
    ModePlan expected = config.modes();
    for (ModeSwitch s : switches) {
      assertEquals(expected.mode(s.unit()), s.from(), "each switch starts from the unit's mode");
      expected = expected.with(s.unit(), s.to());
    }
    assertEquals(expected, switched.modes(), "the checkpoint trains on in the switched plan");

    // the switched plan's gradients against STORED ones, on the checkpoint's weights
    Map<String, double[]> planned = gradients(switched, last);
    Map<String, double[]> stored =
        gradients(switched.toBuilder().mode(GradientMode.stored()).build(), last);
    double worst = 0;
    for (String name : stored.keySet()) {
      worst = Math.max(worst, relativeDifference(planned.get(name), stored.get(name)));
    }
    System.out.println("drift guard: largest relative gradient difference to STORED " + worst);
    assertTrue(worst <= tolerance, "gradients within " + tolerance + " of STORED: " + worst);
  }

  private static Map<String, double[]> gradients(TrainingConfig config, Checkpoint weights) {
    try (TrainingGraph<?> graph =
        TrainingGraph.build(
            config, ImageShape.of(TinyRuns.DATA.train()), Device.CPU.sessionConfig())) {
      graph.restore(weights.variables());
      Random random = new Random(5);
      float[] pixels = new float[config.batch() * 32 * 32 * 3];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) random.nextGaussian();
      }
      int[] labels = new int[config.batch()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = i % 10;
      }
      return graph.gradients(pixels, labels, 0);
    }
  }

  private static double relativeDifference(double[] a, double[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (a[i] - b[i]) * (a[i] - b[i]);
      norm += b[i] * b[i];
    }
    return Math.sqrt(diff / Math.max(norm, Double.MIN_NORMAL));
  }
}
