package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
        new String[][] {
          {"--help"},
          {"train", "--help"},
          {"eval", "--help"},
          {"export", "--help"},
          {"models", "--help"}
        }) {
      Cli.Run r = Cli.run(args);
      assertEquals(0, r.code(), String.join(" ", args));
      assertTrue(r.out().startsWith("Usage: revtrain"), r.out());
      assertEquals("", r.err());
    }
    assertTrue(Cli.run("train", "--help").out().contains("--smoothness=ALPHA"));
  }

  @Test
  void helpIsACommandToo() {
    assertEquals(Cli.run("--help").out(), Cli.run("help").out());
    assertEquals(Cli.run("train", "--help").out(), Cli.run("help", "train").out());
    assertEquals(0, Cli.run("help", "train").code());
  }

  @Test
  void modelsListsEveryNamedModelWithLayersParametersAndModes() {
    Cli.Run r = Cli.run("models");
    assertEquals(0, r.code());
    for (String name : Models.named().keySet()) {
      assertTrue(r.out().contains(name + " "), name);
    }
    assertTrue(r.out().startsWith("NAME "), r.out());
    assertTrue(r.out().lines().findFirst().orElseThrow().endsWith(" PARAMETERS  MODES"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith(Models.DEFAULT + " *")));
    assertTrue(r.out().lines().anyMatch(l -> l.matches("resnet-32 .* stored")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("hamiltonian-38 .* all")), r.out());
    assertTrue(r.out().lines().allMatch(l -> l.length() <= 100), r.out());
  }

  @Test
  void aLogGetsOneLinePerEvaluation() throws Exception {
    Path data = Cli.idx(dir.resolve("data")); // 80 images, batch 8: 10 steps an epoch
    Cli.Run r =
        Cli.run(
            "train",
            "--model",
            Cli.TINY_MODEL,
            "--data",
            "idx:" + data,
            "--batch",
            "8",
            "--steps",
            "20",
            "--out",
            dir.resolve("run").toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.out());
    String figures =
        "  loss [0-9.]+  acc [0-9.]+%  test loss [0-9.]+  test acc [0-9.]+%"
            + "  [0-9]+ img/s  ETA [0-9:]+";
    assertTrue(lines.get(0).matches("step 10/20  epoch 1\\.00" + figures), lines.get(0));
    assertTrue(lines.get(1).matches("step 20/20  epoch 2\\.00" + figures), lines.get(1));
    assertTrue(lines.get(2).startsWith(Cli.TINY_MODEL + " reversible: test accuracy"), r.out());
  }

  @Test
  void idxDataOfTwentySixClassesTrain() throws Exception {
    Path data = Cli.idx(dir.resolve("letters"), 52, 26, 8, 26);
    Path run = dir.resolve("run");
    Cli.Run r =
        Cli.run(
            "train",
            "--model",
            Cli.TINY_MODEL,
            "--data",
            "idx:" + data,
            "--batch",
            "13",
            "--steps",
            "1",
            "--out",
            run.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("(1 step, "), r.out());
    JsonObject config =
        JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
    assertEquals(26, config.getAsJsonObject("input").get("classes").getAsInt());
  }

  @Test
  void aModelWithoutInvertibleBlocksTrainsInItsStoredModeAndSaysSo() throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    Cli.Run r =
        Cli.run(
            "train",
            "--model",
            "resnet:1,1:4,4,8",
            "--data",
            "idx:" + data,
            "--batch",
            "8",
            "--steps",
            "1",
            "--out",
            dir.resolve("run").toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(
        List.of(
            "revtrain train: resnet:1,1:4,4,8 has resnet blocks, which are not invertible:"
                + " training in stored mode, its only mode"),
        r.errLines());
    assertTrue(lastLine(r).startsWith("resnet:1,1:4,4,8 stored: test accuracy"), r.out());
  }

  @Test
  void stochasticDepthIsPartOfTheRecordedModel() throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    Path run = dir.resolve("sd");
    Cli.Run r =
        Cli.run(
            "train",
            "--model",
            "lm-resnet:2,1:4,4,8",
            "--stochastic-depth",
            "0.5",
            "--data",
            "idx:" + data,
            "--batch",
            "8",
            "--steps",
            "2",
            "--out",
            run.toString());
    assertEquals(0, r.code(), r.err());
    var model =
        com.google.gson.JsonParser.parseString(
                java.nio.file.Files.readString(run.resolve("config.json")))
            .getAsJsonObject()
            .getAsJsonObject("model");
    assertEquals(0.5, model.get("final_survival").getAsDouble());
    Cli.run("train", "--resume", run.toString(), "--stochastic-depth", "0.8")
        .assertUsageError("--stochastic-depth differs from the resumed run's model");
  }

  @Test
  void modelsListingIsTheSameInACommaDecimalLocale() {
    String root = Cli.run("models").out();
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      assertEquals(root, Cli.run("models").out());
    } finally {
      Locale.setDefault(before);
    }
    assertTrue(root.matches("(?s).*\\d,\\d{3} .*"), "parameters grouped by commas: " + root);
  }

  @Test
  void trainEvalExportAndResume() throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    Path run = dir.resolve("run");
    String[] common = {
      "--model", Cli.TINY_MODEL, "--data", "idx:" + data, "--batch", "8", "--lr", "0.05"
    };
    Cli.Run trained =
        Cli.run(concat(new String[] {"train", "--steps", "6", "--out", run.toString()}, common));
    assertEquals(0, trained.code(), trained.err());
    List<String> printed = trained.out().lines().toList();
    assertEquals(2, printed.size(), "the evaluation's line and the summary: " + trained.out());
    assertTrue(printed.get(0).startsWith("step 6/6  epoch 0.60  loss "), printed.get(0));
    Matcher m =
        Pattern.compile(
                ".*test accuracy ([0-9.]+)%, peak memory [0-9.]+ MiB, [0-9.]+ s/step \\(6 steps.*")
            .matcher(printed.get(1));
    assertTrue(m.matches(), trained.out());
    assertEquals(1, metrics(run).size());
    assertEquals(6, metrics(run).get(0).get("step").getAsInt());

    // eval: the same test accuracy as the run's final evaluation
    Cli.Run eval = Cli.run("eval", "--checkpoint", run.toString());
    assertEquals(0, eval.code(), eval.err());
    Matcher e =
        Pattern.compile("test loss ([0-9.]+), test accuracy ([0-9.]+)% \\(40 images.*")
            .matcher(eval.out().strip());
    assertTrue(e.matches(), eval.out());
    JsonObject last = metrics(run).get(0);
    assertEquals(last.get("test_loss").getAsDouble(), Double.parseDouble(e.group(1)), 1e-3);
    assertEquals(
        100 * last.get("test_accuracy").getAsDouble(), Double.parseDouble(e.group(2)), 1e-9);

    // eval with the ODE integrated more finely: the same weights, another network, named as such
    Cli.Run refined = Cli.run("eval", "--checkpoint", run.toString(), "--refine", "2");
    assertEquals(0, refined.code(), refined.err());
    assertTrue(
        refined
            .out()
            .matches(
                "test loss [0-9.]+, test accuracy [0-9.]+% \\(40 images.*\\[hamiltonian, h/2\\] at"
                    + " step 6\\)\\s*"),
        refined.out());
    Cli.run("eval", "--checkpoint", run.toString(), "--solver", "rk4")
        .assertUsageError("--solver rk4", "cannot be solved with rk4 steps");
    Cli.run("eval", "--checkpoint", run.toString(), "--refine", "0")
        .assertUsageError("--refine must be at least 1");

    // a new run from the trained weights, refined to twice the blocks
    Path grown = dir.resolve("grown");
    Cli.Run grow =
        Cli.run(
            "train",
            "--init-from",
            run.toString(),
            "--refine",
            "2",
            "--data",
            "idx:" + data,
            "--batch",
            "8",
            "--steps",
            "2",
            "--out",
            grown.toString());
    assertEquals(0, grow.code(), grow.err());
    assertTrue(lastLine(grow).startsWith(Cli.TINY_MODEL + "-refined2 reversible: "), grow.out());
    assertTrue(Files.exists(grown.resolve("initialised-from.json")));

    // export: a loadable SavedModel with the serving signature
    Path saved = dir.resolve("saved");
    Cli.Run export =
        Cli.run("export", "--checkpoint", run.toString(), "--saved-model", saved.toString());
    assertEquals(0, export.code(), export.err());
    try (SavedModelBundle b = SavedModelBundle.load(saved.toString(), "serve")) {
      assertTrue(b.function(Signature.DEFAULT_KEY).signature().inputNames().contains("images"));
    }

    // resume: the run continues to step 10 in the same directory, ignoring what a crash mid-write
    // leaves behind (a temporary directory, a step directory without checkpoint.json)
    Path checkpoints = run.resolve("checkpoints");
    Files.writeString(
        Files.createDirectories(checkpoints.resolve(".tmp-step-00000099-1"))
            .resolve("variables.index"),
        "x");
    Files.writeString(
        Files.createDirectories(checkpoints.resolve("step-00000099")).resolve("variables.index"),
        "x");
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
        Cli.run(
            "train",
            "--model",
            Cli.TINY_MODEL,
            "--data",
            "idx:" + data,
            "--batch",
            "8",
            "--steps",
            "4",
            "--lr",
            "0.05",
            "--out",
            run.toString());
    assertEquals(0, good.code(), good.err());
    Cli.Run r =
        Cli.run(
            "train",
            "--resume",
            run.toString(),
            "--steps",
            "30",
            "--lr",
            "1e30",
            "--checkpoint-every",
            "1");
    r.assertOneLineError(
        ExitCodes.DIVERGED,
        "training diverged",
        "at step 5",
        "last good checkpoint",
        "step-00000004");
    assertEquals(
        List.of("resuming " + run + " at step 4 of 30 (step-00000004)"),
        r.out().lines().toList(),
        "no summary line, only where the run continued from");
    Cli.Run eval = Cli.run("eval", "--checkpoint", run.toString());
    assertEquals(0, eval.code(), eval.err());
    assertTrue(
        eval.out().matches("test loss [0-9.]+, test accuracy [0-9.]+% .*at step 4\\)\\s*"),
        eval.out());
  }

  /** The last line a command printed: the summary of a training. */
  private static String lastLine(Cli.Run r) {
    return r.out().lines().reduce((a, b) -> b).orElse("");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
