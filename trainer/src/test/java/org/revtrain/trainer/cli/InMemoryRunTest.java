package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.trainer.Evaluation;
import org.revtrain.trainer.InferenceModel;
import org.revtrain.trainer.ModelCatalog;
import org.revtrain.trainer.Trainer;
import org.revtrain.trainer.TrainingConfig;
import org.revtrain.trainer.TrainingResult;
import org.revtrain.trainer.data.BuiltinDataset;
import org.revtrain.trainer.data.DataSplit;

/**
 * A run trained from Java on data given in memory says so in config.json, hands back its model, and
 * the command line evaluates it on data named with --data (and says when they are missing).
 */
class InMemoryRunTest {
  @TempDir Path dir;

  @Test
  void inMemoryRunIsRecordedAsSuchAndItsModelAndTheCommandLineEvaluateIt() throws Exception {
    DataSplit data = BuiltinDataset.generate(11, 64, 40);
    TrainingConfig config =
        TrainingConfig.builder()
            .model(ModelCatalog.resolve(Cli.TINY_MODEL))
            .batch(8)
            .steps(4)
            .seed(5)
            .build();
    Path run = dir.resolve("run");
    TrainingResult result = Trainer.builder(config, run).data(data).build().run();

    JsonObject json =
        JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
    assertEquals(TrainingConfig.IN_MEMORY, json.get("data").getAsString());
    String input = json.get("input").toString();
    assertTrue(input.contains("32") && input.contains("10"), "shape and classes: " + input);

    Evaluation fromModel;
    try (InferenceModel<?> m = result.openModel()) {
      fromModel = m.evaluate(data.test(), 20);
      double[] logits = m.logits(data.test().head(3).pixels(), 3);
      assertEquals(3 * 10, logits.length, "10 logits for each of 3 images");
    }
    assertEquals(
        result.finalMetrics().orElseThrow().testAccuracy(),
        fromModel.accuracy(),
        1e-12,
        "the returned model is the one the run evaluated last");

    Cli.run("eval", "--checkpoint", run.toString())
        .assertUsageError("--data is required", run.getFileName().toString(), "in memory");
    Cli.Run evaluated = Cli.run("eval", "--checkpoint", run.toString(), "--data", "builtin");
    assertEquals(0, evaluated.code(), "eval with --data: " + evaluated.err());
    assertTrue(evaluated.out().contains("test accuracy"), evaluated.out());
  }
}
