package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.models.Discretisation;
import org.revtrain.models.ModelSpec;
import org.revtrain.trainer.data.BuiltinDataset;
import org.revtrain.trainer.data.DataSplit;
import org.revtrain.trainer.data.ImageDataset;

/**
 * {@code train --adapt-steps}: a network whose held-out accuracy moves when its steps are halved is
 * refined, one whose accuracy stays is left as it is (Ott et al.'s adaptation of the step size).
 */
class AdaptStepsTest {
  @TempDir Path dir;

  /** 1000 training images (900 trained on, 100 held out: 18 steps an epoch), 100 test images. */
  private static final DataSplit DATA = BuiltinDataset.generate(5, 1000, 100);

  /** Two units of two Hamiltonian blocks, 8-8-16 channels, steps of {@code h}, two epochs. */
  private static TrainingConfig config(double h) {
    ModelSpec m = ModelCatalog.withStepSize(ModelCatalog.resolve("hamiltonian:2,2:8,8,16"), h);
    return TrainingConfig.builder()
        .model(m)
        .batch(50)
        .epochs(2)
        .augment(false)
        .precision(Precision.FLOAT64)
        .adaptTolerance(1.0)
        .build();
  }

  private static MetricsLog train(TrainingConfig c, Path run) throws IOException {
    Trainer.builder(c, run).data(DATA).build().run();
    return new MetricsLog(run);
  }

  /** The check's two accuracies, evaluated again from the checkpoint of its step. */
  private static void assertCheckIsReproduced(StepSizeCheck check, TrainingConfig c, Path run) {
    ImageDataset heldOut = TrainingData.prepare(DATA, c, null).heldOut();
    Checkpoint at =
        Checkpoints.read(
            run.resolve(Checkpoints.DIRECTORY).resolve(Checkpoints.name(check.step())));
    try (InferenceModel<?> m = InferenceModel.open(at)) {
      assertEquals(check.accuracy(), m.evaluate(heldOut, 50).accuracy(), 1e-12);
    }
    try (InferenceModel<?> m = InferenceModel.open(at, Discretisation.refined(2))) {
      assertEquals(check.refinedAccuracy(), m.evaluate(heldOut, 50).accuracy(), 1e-12);
    }
  }

  @Test
  void aNetworkThatDependsOnItsStepsIsRefined() throws IOException {
    TrainingConfig c = config(2);
    Path run = dir.resolve("h2");
    MetricsLog log = train(c, run);
    List<StepSizeCheck> checks = log.stepSizeChecks();
    assertEquals(1, checks.size(), "one check, after the first of two epochs");
    StepSizeCheck check = checks.get(0);
    System.out.println("AdaptStepsTest: h = 2: " + check.describe());
    assertEquals(18, check.step());
    assertTrue(check.refine(), check.describe());
    assertCheckIsReproduced(check, c, run);
    assertEquals(
        List.of(
            new Refinement(18, 1, c.model().name(), c.model().name() + "-refined2", List.of(4, 4))),
        log.refinements());
    ModelSpec end = Checkpoints.locate(run).state().config().model();
    assertArrayEquals(new int[] {4, 4}, end.blocksPerUnit());
    assertEquals(1.0, end.stepSizes(0)[0], 1e-15, "h/2");
  }

  /**
   * A run killed after its check and refinement but before the next checkpoint resumes from the
   * epoch's checkpoint with the decision its log holds: no second check, no second refinement line,
   * and the uninterrupted run's weights.
   */
  @Test
  void aResumedRunTakesTheDecisionItsLogHolds() throws IOException {
    TrainingConfig c = config(2);
    Path straight = dir.resolve("straight");
    train(c, straight);
    Path run = dir.resolve("killed");
    TinyRuns.Losses stop = new TinyRuns.Losses(19);
    Trainer t = Trainer.builder(c, run).data(DATA).listener(stop).build();
    stop.trainer = t;
    t.run();
    // as a kill between the refinement and the checkpoint of step 19 leaves it
    Checkpoints.of(run)
        .abandonAfter(
            Checkpoints.read(run.resolve(Checkpoints.DIRECTORY).resolve(Checkpoints.name(18))));
    MetricsLog log = new MetricsLog(run);
    log.dropAfter(18);
    assertEquals(1, log.stepSizeChecks().size());
    Checkpoint at = Checkpoints.locate(run);
    assertEquals(18, at.state().step());
    assertArrayEquals(new int[] {2, 2}, at.state().config().model().blocksPerUnit());
    Trainer.builder(at.state().config(), run).data(DATA).resumeFrom(at).build().run();
    assertEquals(1, log.stepSizeChecks().size(), "the logged check is taken, not made again");
    assertEquals(1, log.refinements().size(), "the refinement is logged once");
    var expected = new MetricsLog(straight).read(w -> {});
    var resumed = log.read(w -> {});
    assertEquals(expected.size(), resumed.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).testLoss(), resumed.get(i).testLoss(), 1e-9);
    }
  }

  @Test
  void aNetworkThatIsAnOdeSolutionKeepsItsSteps() throws IOException {
    TrainingConfig c = config(0.05);
    Path run = dir.resolve("h0.05");
    MetricsLog log = train(c, run);
    StepSizeCheck check = log.stepSizeChecks().get(0);
    System.out.println("AdaptStepsTest: h = 0.05: " + check.describe());
    assertFalse(check.refine(), check.describe());
    assertCheckIsReproduced(check, c, run);
    assertTrue(log.refinements().isEmpty());
    assertEquals(c.model(), Checkpoints.locate(run).state().config().model());
  }

  @Test
  void theHeldOutExamplesAreAStratifiedTenthNotTrainedOn() {
    TrainingData d = TrainingData.prepare(DATA, config(1), null);
    ImageDataset heldOut = d.heldOut();
    assertEquals(DATA.train().size(), d.train().size() + heldOut.size());
    assertEquals(100, heldOut.size());
    int[] counts = heldOut.classCounts();
    int[] all = DATA.train().classCounts();
    for (int k = 0; k < counts.length; k++) {
      assertEquals(Math.round(0.1 * all[k]), counts[k], "class " + k);
    }
    // the held-out examples are taken out of the training batches
    assertEquals(900, d.train().size());
    assertEquals(900 / 50, d.stepsPerEpoch());
    TrainingConfig fixedSteps = config(1).toBuilder().adaptTolerance(null).build();
    assertEquals(null, TrainingData.prepare(DATA, fixedSteps, null).heldOut());
    assertEquals(1000, TrainingData.prepare(DATA, fixedSteps, null).train().size());
  }
}
