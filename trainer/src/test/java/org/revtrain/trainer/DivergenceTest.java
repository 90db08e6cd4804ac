package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN or infinite loss stops training, naming the step, and leaves the last good checkpoint. */
class DivergenceTest {
  @TempDir Path run;

  @Test
  void aHugeLearningRateStopsTrainingAndKeepsTheLastGoodCheckpoint() throws Exception {
    TinyRuns.train(TinyRuns.config(8).build(), run, null, 0); // one epoch: checkpoint at step 8
    Checkpoint good = Checkpoints.locate(run);
    assertEquals(8, good.state().step());

    TrainingConfig explosive =
        good.state().config().toBuilder().steps(40).learningRate(1e30).checkpointEvery(1).build();
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class, () -> TinyRuns.train(explosive, run, good, 0));
    assertTrue(e.step() > 8, "diverged after the resumed checkpoint: " + e.getMessage());
    assertTrue(
        e.getMessage()
            .matches("training diverged: .* at step " + e.step() + "; last good checkpoint: .*"),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count());

    Checkpoint last = Checkpoints.locate(run);
    assertEquals(e.lastCheckpoint().orElseThrow(), last.directory());
    try (InferenceModel<?> m = InferenceModel.open(last)) {
      Evaluation ev = m.evaluate(TinyRuns.DATA.test(), 16);
      assertTrue(Double.isFinite(ev.loss()), "the kept checkpoint still evaluates: " + ev);
    }
  }
}
