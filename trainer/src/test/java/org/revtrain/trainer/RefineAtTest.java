package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.models.Discretisation;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.NetworkParameter;

/**
 * {@code train --refine-at}: doubling the blocks inside a run is the same as starting a new run
 * from that epoch's checkpoint with {@code --init-from --refine 2}; the momentum goes with the
 * weights; a resumed run refines where the uninterrupted one did.
 */
class RefineAtTest {
  @TempDir Path dir;

  /**
   * One step an epoch (a batch is the whole training set, so every epoch's batch holds the same
   * examples), no augmentation (the crops would depend on the step), float64, a constant learning
   * rate.
   */
  private static TrainingConfig.Builder config(double momentum) {
    return TinyRuns.config(1)
        .batch(TinyRuns.DATA.train().size())
        .precision(Precision.FLOAT64)
        .momentum(momentum)
        .augment(false)
        .schedule(LearningRateSchedule.parse("constant"));
  }

  private static Map<String, double[]> weights(Path run) {
    try (InferenceModel<?> m = InferenceModel.open(Checkpoints.locate(run))) {
      return m.parameterValues();
    }
  }

  @Test
  void refiningInARunEqualsStartingFromThatEpochsCheckpointRefined() throws IOException {
    Path refinedInRun = dir.resolve("refine-at");
    TinyRuns.train(config(0).epochs(4).refineAt(List.of(2)).build(), refinedInRun, null, 0);

    Path coarse = dir.resolve("coarse");
    TinyRuns.train(config(0).epochs(2).build(), coarse, null, 0);
    Discretisation twice = Discretisation.refined(2);
    ModelSpec grown = twice.apply(TinyRuns.model()).withName("tiny-refined2");
    Path fromCheckpoint = dir.resolve("init-from");
    Trainer.builder(config(0).model(grown).epochs(2).build(), fromCheckpoint)
        .data(TinyRuns.DATA)
        .initialisedFrom(Checkpoints.locate(coarse), twice)
        .build()
        .run();

    Map<String, double[]> a = weights(refinedInRun);
    Map<String, double[]> b = weights(fromCheckpoint);
    assertEquals(b.keySet(), a.keySet());
    double largest = 0;
    for (String k : a.keySet()) {
      assertArrayEquals(b.get(k), a.get(k), 1e-6, k);
      for (int i = 0; i < a.get(k).length; i++) {
        largest = Math.max(largest, Math.abs(a.get(k)[i] - b.get(k)[i]));
      }
    }
    System.out.println("RefineAtTest: largest difference " + largest);
    // and not trivially: the last two steps moved the weights
    Map<String, double[]> before = weights(coarse);
    double[] k1 = a.get("unit1.K1");
    assertTrue(
        Math.abs(k1[0] - before.get("unit1.K1")[0]) > 1e-6,
        "training after the refinement moved K1");

    TrainingConfig end = Checkpoints.locate(refinedInRun).state().config();
    assertEquals(
        grown.withName("tiny-refined2"), end.model(), "the checkpoints hold the refined net");
    assertEquals(List.of(2), end.refineAt());
    var json =
        JsonParser.parseString(Files.readString(refinedInRun.resolve(Trainer.CONFIG_FILE)))
            .getAsJsonObject();
    assertEquals("[2]", json.get("refine_at").toString());
    assertEquals(
        4, json.getAsJsonObject("model").getAsJsonArray("blocks_per_unit").get(0).getAsInt());
    MetricsLog log = new MetricsLog(refinedInRun);
    assertEquals(
        List.of(new Refinement(2, 2, "tiny", "tiny-refined2", List.of(4, 2))), log.refinements());
    assertEquals(4, log.read(w -> {}).size(), "one evaluation an epoch, the event aside");
  }

  @Test
  void momentumSlotsGoWithTheirWeights() {
    TrainingConfig coarse = config(0.9).build();
    ImageShape shape = ImageShape.of(TinyRuns.DATA.train());
    int n = coarse.batch();
    float[] pixels = new float[n * shape.height() * shape.width() * shape.channels()];
    Random random = new Random(7);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    int[] labels = new int[n];
    Arrays.setAll(labels, i -> i % shape.classes());
    Map<String, double[]> trained;
    try (TrainingGraph<?> g = TrainingGraph.build(coarse, shape, Device.CPU.sessionConfig())) {
      g.initialize();
      g.step(pixels, labels, 0.05, 0, false);
      g.step(pixels, labels, 0.05, 1, false);
      trained = g.values();
    }
    Discretisation twice = Discretisation.refined(2);
    TrainingConfig fine = coarse.toBuilder().model(twice.apply(coarse.model())).build();
    try (TrainingGraph<?> g = TrainingGraph.build(fine, shape, Device.CPU.sessionConfig())) {
      g.initialize();
      g.assignInTraining(trained, twice);
      Map<String, double[]> carried = g.values();
      int stacked = 0;
      for (NetworkParameter<?> p : g.network().parameters().values()) {
        String slot = p.name() + MomentumSgd.SLOT_SUFFIX;
        if (!carried.containsKey(slot)) {
          continue;
        }
        double[] coarseSlot = trained.get(slot);
        assertTrue(Arrays.stream(coarseSlot).anyMatch(v -> v != 0), slot + " holds a velocity");
        assertArrayEquals(twice.values(p, coarseSlot), carried.get(slot), 0, slot);
        assertArrayEquals(twice.values(p, trained.get(p.name())), carried.get(p.name()), 0);
        if (p.blocks() > 0) {
          stacked++;
          assertEquals(2 * coarseSlot.length, carried.get(slot).length, slot);
        }
      }
      assertTrue(stacked >= 4, "the units' stacked slots were compared");
    }
  }

  @Test
  void aResumedRunRefinesWhereTheUninterruptedOneDid() throws IOException {
    TrainingConfig c = config(0.9).epochs(4).refineAt(List.of(2)).build();
    Path straight = dir.resolve("straight");
    TinyRuns.train(c, straight, null, 0);
    Map<String, double[]> expected = weights(straight);
    for (int stopAt : new int[] {2, 3}) {
      Path run = dir.resolve("stopped-" + stopAt);
      TinyRuns.train(c, run, null, stopAt);
      Checkpoint at = Checkpoints.locate(run);
      assertEquals(stopAt, at.state().step());
      assertEquals(stopAt == 2 ? 2 : 4, at.state().config().model().blocksPerUnit()[0]);
      TinyRuns.train(at.state().config(), run, at, 0);
      Map<String, double[]> resumed = weights(run);
      for (String k : expected.keySet()) {
        assertArrayEquals(expected.get(k), resumed.get(k), 1e-9, "stopped at " + stopAt + ": " + k);
      }
      assertEquals(1, new MetricsLog(run).refinements().size(), "refined once");
    }
  }

  @Test
  void refinementsMustFallInsideTheRunAndTheModelMustBeAnOde() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                TinyRuns.train(
                    config(0).epochs(2).refineAt(List.of(2)).build(),
                    dir.resolve("late"),
                    null,
                    0));
    assertEquals(UsageException.Setting.REFINE_AT, e.setting().orElseThrow());
    assertTrue(
        e.getMessage().startsWith("refine at 2: the run ends after 2 steps"), e.getMessage());
    IllegalArgumentException order =
        assertThrows(
            IllegalArgumentException.class, () -> config(0).refineAt(List.of(3, 1)).build());
    assertTrue(order.getMessage().contains("[3, 1]"), order.getMessage());
    IllegalArgumentException revnet =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                config(0)
                    .model(org.revtrain.models.Models.byName("revnet-38"))
                    .refineAt(List.of(1))
                    .build());
    assertTrue(revnet.getMessage().contains("cannot be refined"), revnet.getMessage());
  }
}
