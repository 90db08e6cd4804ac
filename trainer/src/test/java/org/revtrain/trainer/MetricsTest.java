package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.reversible.GradientMode;

/** metrics.jsonl: one object per evaluation, at each epoch end and at the end of a --steps run. */
class MetricsTest {
  @TempDir Path run;

  @Test
  void everyEvaluationWritesTheDocumentedFields() throws Exception {
    // 8 steps per epoch; 12 steps end mid-epoch.
    TinyRuns.train(TinyRuns.config(12).build(), run, null, 0);
    List<JsonObject> lines =
        Files.readAllLines(run.resolve(MetricsLog.FILE)).stream()
            .map(l -> JsonParser.parseString(l).getAsJsonObject())
            .toList();
    assertEquals(2, lines.size(), "epoch end (step 8) and end of run (step 12)");
    Set<String> fields =
        Set.of(
            "epoch",
            "step",
            "train_loss",
            "train_accuracy",
            "test_loss",
            "test_accuracy",
            "learning_rate",
            "seconds",
            "tf_peak_bytes",
            "reconstruction_error");
    for (JsonObject o : lines) {
      assertEquals(fields, o.keySet());
      assertTrue(
          o.get("test_accuracy").getAsDouble() >= 0 && o.get("test_accuracy").getAsDouble() <= 1);
      assertTrue(o.get("train_loss").getAsDouble() > 0);
      assertTrue(
          o.get("tf_peak_bytes").getAsLong() > 0,
          "Surefire runs with TF_CPU_ALLOCATOR_USE_BFC=true");
      double err = o.get("reconstruction_error").getAsDouble();
      assertTrue(err >= 0 && err < 1e-3, "reconstruction error " + err);
    }
    assertEquals(1.0, lines.get(0).get("epoch").getAsDouble());
    assertEquals(8, lines.get(0).get("step").getAsLong());
    assertEquals(1.5, lines.get(1).get("epoch").getAsDouble());
    assertEquals(12, lines.get(1).get("step").getAsLong());
    assertEquals(
        5e-4,
        lines.get(1).get("learning_rate").getAsDouble(),
        1e-12,
        "0.05 decayed at steps 6 and 9");
    assertTrue(
        lines.get(1).get("seconds").getAsDouble() > lines.get(0).get("seconds").getAsDouble());

    JsonObject config =
        JsonParser.parseString(Files.readString(run.resolve(Trainer.CONFIG_FILE)))
            .getAsJsonObject();
    assertEquals(12, config.get("steps").getAsInt());
    assertEquals(3, config.getAsJsonObject("input").get("channels").getAsInt());
    // data given in memory are recorded as such
    assertEquals(
        TinyRuns.config(12).data(TrainingConfig.IN_MEMORY).build(),
        TrainingConfig.fromJson(config));
    assertEquals(12, Checkpoints.locate(run).state().step());
  }

  @Test
  void storedModeReportsNoReconstructionError() throws Exception {
    TinyRuns.train(TinyRuns.config(3).mode(GradientMode.stored()).build(), run, null, 0);
    JsonObject o =
        JsonParser.parseString(Files.readAllLines(run.resolve(MetricsLog.FILE)).get(0))
            .getAsJsonObject();
    assertEquals(0.0, o.get("reconstruction_error").getAsDouble());
  }
}
