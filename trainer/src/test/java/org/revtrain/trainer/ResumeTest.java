package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training 40 steps equals training 20, stopping, and resuming to 40: the same losses, the same
 * metrics rows; a resumed run that has nothing left to train writes nothing.
 */
class ResumeTest {
  @TempDir Path dir;

  @Test
  void stoppingAtTwentyAndResumingToFortyRepeatsTheUninterruptedLossesAndMetrics()
      throws Exception {
    // Stochastic depth, augmentation and a step schedule (decays at 20 and 30) all in play.
    TrainingConfig config =
        TinyRuns.config(40).model(TinyRuns.model().toBuilder().finalSurvival(0.7).build()).build();
    List<Double> whole = TinyRuns.train(config, dir.resolve("whole"), null, 0).values;

    Path stopped = dir.resolve("stopped");
    List<Double> first = TinyRuns.train(config, stopped, null, 20).values;
    Checkpoint at20 = Checkpoints.locate(stopped);
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
    assertEquals(40, Checkpoints.locate(stopped).state().step());
    // stopped at step 20, between the evaluations at 16 and 24: the row at 24 still averages 17-24
    assertSameRows(rows(dir.resolve("whole")), rows(stopped));
  }

  @Test
  void aDamagedNewestCheckpointIsPassedOverAndTheLogKeepsOneRowPerEvaluation() throws Exception {
    TrainingConfig config = TinyRuns.config(16).build(); // checkpoints and evaluations at 8 and 16
    Path whole = dir.resolve("whole");
    TinyRuns.train(config, whole, null, 0);
    Path damaged = dir.resolve("damaged");
    TinyRuns.train(config, damaged, null, 0);
    Path index = damaged.resolve("checkpoints/step-00000016/variables.index");
    Files.delete(index);
    Checkpoints.Selection s = Checkpoints.find(damaged);
    assertEquals(index, s.damaged().get(0).file());
    TinyRuns.train(config, damaged, s.checkpoint().orElseThrow(), 0); // retrains steps 9 to 16
    assertSameRows(rows(whole), rows(damaged));
    assertEquals(16, Checkpoints.find(damaged).checkpoint().orElseThrow().state().step());
    assertEquals(List.of(), Checkpoints.find(damaged).damaged(), "the damaged one was replaced");
  }

  @Test
  void resumingARunThatReachedItsLengthTrainsAndWritesNothing() throws Exception {
    Path run = dir.resolve("done");
    TinyRuns.train(TinyRuns.config(8).build(), run, null, 0);
    Map<Path, String> before = contents(run);
    Checkpoint last = Checkpoints.locate(run);
    List<Double> losses = TinyRuns.train(last.state().config(), run, last, 0).values;
    assertEquals(List.of(), losses, "no step trained");
    assertEquals(before, contents(run), "nothing written: no second evaluation, no time added");
  }

  private static List<MetricsRecord> rows(Path run) {
    return new MetricsLog(run).read(w -> fail(w));
  }

  /** Equal rows but for the wall-clock time and the allocator peak, which no two runs share. */
  private static void assertSameRows(List<MetricsRecord> expected, List<MetricsRecord> actual) {
    assertEquals(
        expected.stream().map(MetricsRecord::step).toList(),
        actual.stream().map(MetricsRecord::step).toList());
    for (int i = 0; i < expected.size(); i++) {
      MetricsRecord a = expected.get(i);
      MetricsRecord b = actual.get(i);
      String at = "step " + a.step();
      assertEquals(a.epoch(), b.epoch(), 1e-9, at);
      assertEquals(a.trainLoss(), b.trainLoss(), 1e-9, at + " train loss");
      assertEquals(a.trainAccuracy(), b.trainAccuracy(), 1e-9, at + " train accuracy");
      assertEquals(a.testLoss(), b.testLoss(), 1e-9, at + " test loss");
      assertEquals(a.testAccuracy(), b.testAccuracy(), 1e-9, at + " test accuracy");
      assertEquals(a.learningRate(), b.learningRate(), 1e-9, at + " learning rate");
      assertEquals(a.reconstructionError(), b.reconstructionError(), 1e-9, at + " reconstruction");
    }
  }

  /** Every file of a directory tree with its bytes (as text) and modification time. */
  private static Map<Path, String> contents(Path root) throws IOException {
    Map<Path, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(
            root.relativize(p),
            Files.getLastModifiedTime(p) + " " + Arrays.toString(Files.readAllBytes(p)));
      }
    }
    return m;
  }
}
