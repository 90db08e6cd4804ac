package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training 40 steps equals training 20, stopping, and resuming to 40. */
class ResumeTest {
  @TempDir Path dir;

  @Test
  void stoppingAtTwentyAndResumingToFortyRepeatsTheUninterruptedLosses() throws Exception {
    // Stochastic depth, augmentation and a step schedule (decays at 20 and 30) all in play.
    TrainingConfig config =
        TinyRuns.config(40).model(TinyRuns.model().toBuilder().finalSurvival(0.7).build()).build();
    List<Double> whole = TinyRuns.train(config, dir.resolve("whole"), null, 0).values;

    Path stopped = dir.resolve("stopped");
    List<Double> first = TinyRuns.train(config, stopped, null, 20).values;
    Checkpoint at20 = Checkpoints.locate(stopped, "--resume");
    assertEquals(20, at20.state().step());
    List<Double> rest = TinyRuns.train(at20.state().config(), stopped, at20, 0).values;

    List<Double> resumed = new ArrayList<>(first);
    resumed.addAll(rest);
    assertEquals(40, whole.size());
    assertEquals(40, resumed.size());
    for (int s = 0; s < 40; s++) {
      assertEquals(whole.get(s), resumed.get(s), 1e-6, "loss of step " + (s + 1));
    }
    assertTrue(whole.get(39) < whole.get(0), "the tiny network learns something: " + whole);
    assertEquals(40, Checkpoints.locate(stopped, "--resume").state().step());
  }
}
