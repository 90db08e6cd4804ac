package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.models.Models;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;

/** The commands end to end, on a tiny model and tiny IDX data. */
class CommandsTest {
  @TempDir Path dir;

  private static List<JsonObject> metrics(Path run) throws Exception {
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .map(l -> JsonParser.parseString(l).getAsJsonObject())
        .toList();
  }

  @Test
  void helpOnEveryCommand() {
    for (String[] args :
        new String[][] {{"--help"}, {"train", "--help"}, {"eval", "--help"}, {"export", "--help"}, {"models", "--help"}}) {
      Cli.Run r = Cli.run(args);
      assertEquals(0, r.code(), String.join(" ", args));
      assertTrue(r.out().startsWith("Usage: revtrain"), r.out());
      assertEquals("", r.err());
    }
    assertTrue(Cli.run("train", "--help").out().contains("--smoothness=ALPHA"));
  }

  @Test
  void modelsListsEveryNamedModelWithLayersAndParameters() {
    Cli.Run r = Cli.run("models");
    assertEquals(0, r.code());
    for (String name : Models.named().keySet()) {
      assertTrue(r.out().contains(name + " "), name);
    }
    assertTrue(r.out().contains("PARAMETERS"));
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith(Models.DEFAULT + " *")));
  }

  @Test
  void trainEvalExportAndResume() throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    Path run = dir.resolve("run");
    String[] common = {"--model", Cli.TINY_MODEL, "--data", "idx:" + data, "--batch", "8", "--lr", "0.05"};
    Cli.Run trained = Cli.run(concat(new String[] {"train", "--steps", "6", "--out", run.toString()}, common));
    assertEquals(0, trained.code(), trained.err());
    assertEquals(1, trained.out().lines().count(), "one summary line: " + trained.out());
    Matcher m =
        Pattern.compile(".*test accuracy ([0-9.]+)%, peak memory [0-9.]+ MiB, [0-9.]+ s/step \\(6 steps.*")
            .matcher(trained.out().strip());
    assertTrue(m.matches(), trained.out());
    assertEquals(1, metrics(run).size());
    assertEquals(6, metrics(run).get(0).get("step").getAsInt());

    // eval: the same test accuracy as the run's final evaluation
    Cli.Run eval = Cli.run("eval", "--checkpoint", run.toString());
    assertEquals(0, eval.code(), eval.err());
    Matcher e = Pattern.compile("test loss ([0-9.]+), test accuracy ([0-9.]+)% \\(40 images.*").matcher(eval.out().strip());
    assertTrue(e.matches(), eval.out());
    JsonObject last = metrics(run).get(0);
    assertEquals(last.get("test_loss").getAsDouble(), Double.parseDouble(e.group(1)), 1e-3);
    assertEquals(100 * last.get("test_accuracy").getAsDouble(), Double.parseDouble(e.group(2)), 1e-9);

    // eval with the ODE integrated more finely: the same weights, another network, named as such
    Cli.Run refined = Cli.run("eval", "--checkpoint", run.toString(), "--refine", "2");
    assertEquals(0, refined.code(), refined.err());
    assertTrue(refined.out().matches("test loss [0-9.]+, test accuracy [0-9.]+% \\(40 images.*\\[hamiltonian, h/2\\] at step 6\\)\\s*"),
        refined.out());
    Cli.run("eval", "--checkpoint", run.toString(), "--solver", "rk4")
        .assertUsageError("--solver rk4", "cannot be solved with rk4 steps");
    Cli.run("eval", "--checkpoint", run.toString(), "--refine", "0").assertUsageError("--refine must be at least 1");

    // a new run from the trained weights, refined to twice the blocks
    Path grown = dir.resolve("grown");
    Cli.Run grow = Cli.run("train", "--init-from", run.toString(), "--refine", "2", "--data", "idx:" + data,
        "--batch", "8", "--steps", "2", "--out", grown.toString());
    assertEquals(0, grow.code(), grow.err());
    assertTrue(grow.out().startsWith(Cli.TINY_MODEL + "-refined2 reversible: test accuracy"), grow.out());
    assertTrue(Files.exists(grown.resolve("initialised-from.json")));

    // export: a loadable SavedModel with the serving signature
    Path saved = dir.resolve("saved");
    Cli.Run export = Cli.run("export", "--checkpoint", run.toString(), "--saved-model", saved.toString());
    assertEquals(0, export.code(), export.err());
    try (SavedModelBundle b = SavedModelBundle.load(saved.toString(), "serve")) {
      assertTrue(b.function(Signature.DEFAULT_KEY).signature().inputNames().contains("images"));
    }

    // resume: the run continues to step 10 in the same directory, ignoring what a crash mid-write
    // leaves behind (a temporary directory, a step directory without checkpoint.json)
    Path checkpoints = run.resolve("checkpoints");
    Files.writeString(Files.createDirectories(checkpoints.resolve(".tmp-step-00000099-1")).resolve("variables.index"), "x");
    Files.writeString(Files.createDirectories(checkpoints.resolve("step-00000099")).resolve("variables.index"), "x");
    Cli.Run resumed = Cli.run("train", "--resume", run.toString(), "--steps", "10");
    assertEquals(0, resumed.code(), resumed.err());
    List<JsonObject> lines = metrics(run);
    assertEquals(List.of(6, 10), lines.stream().map(o -> o.get("step").getAsInt()).toList());
    Cli.run("train", "--resume", run.toString(), "--batch", "16")
        .assertUsageError("--batch differs from the resumed run's batch (8)");
    Cli.run(concat(new String[] {"train", "--steps", "6", "--out", run.toString()}, common))
        .assertUsageError("--out " + run, "already holds a run");
  }

  @Test
  void aNanLossExitsWithThreeAndKeepsTheLastGoodCheckpoint() throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    Path run = dir.resolve("run");
    Cli.Run good =
        Cli.run("train", "--model", Cli.TINY_MODEL, "--data", "idx:" + data, "--batch", "8", "--steps", "4",
            "--lr", "0.05", "--out", run.toString());
    assertEquals(0, good.code(), good.err());
    Cli.Run r = Cli.run("train", "--resume", run.toString(), "--steps", "30", "--lr", "1e30", "--checkpoint-every", "1");
    r.assertOneLineError(ExitCodes.DIVERGED, "training diverged", "at step 5", "last good checkpoint", "step-00000004");
    assertEquals(List.of("resuming " + run + " at step 4 of 30 (step-00000004)"), r.out().lines().toList(),
        "no summary line, only where the run continued from");
    Cli.Run eval = Cli.run("eval", "--checkpoint", run.toString());
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().matches("test loss [0-9.]+, test accuracy [0-9.]+% .*at step 4\\)\\s*"), eval.out());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
