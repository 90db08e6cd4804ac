package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.trainer.Checkpoints;
import org.revtrain.trainer.MetricsLog;
import org.revtrain.trainer.MetricsRecord;
import picocli.CommandLine;

/**
 * {@code revtrain sweep}: a 2 × 2 grid of tiny runs, each in its own JVM; a rerun skips the
 * finished runs without touching them, and resumes an interrupted one.
 */
class SweepCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private static Run revtrain(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  /** The four cells' run names, seed 1. */
  private static final List<String> RUNS =
      List.of(
          "h=0.5_lr=0.05_seed=1",
          "h=0.5_lr=0.1_seed=1",
          "h=0.25_lr=0.05_seed=1",
          "h=0.25_lr=0.1_seed=1");

  /** The sweep on the command line, as the file says it. */
  private String[] commandLine(Path out) {
    return new String[] {
      "sweep",
      "--grid",
      "h=0.5,0.25",
      "--grid",
      "lr=0.05,0.1",
      "--set",
      "model=hamiltonian:1,1:4,4,8",
      "--set",
      "batch=8",
      "--set",
      "steps=4",
      "--set",
      "checkpoint-every=1",
      "--set",
      "train-fraction=0.1",
      "--set",
      "augment=false",
      "--parallel",
      "2",
      "--metric",
      "test_accuracy",
      "--metric",
      "train_loss",
      "--out",
      out.toString()
    };
  }

  private Map<String, byte[]> contents(Path sweep, String file) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (String r : RUNS) {
      m.put(r, Files.readAllBytes(sweep.resolve(r).resolve(file)));
    }
    return m;
  }

  private Map<String, FileTime> modified(Path sweep) throws IOException {
    Map<String, FileTime> m = new LinkedHashMap<>();
    for (String r : RUNS) {
      m.put(r, Files.getLastModifiedTime(sweep.resolve(r).resolve(MetricsLog.FILE)));
    }
    return m;
  }

  @Test
  void runsEveryCellSkipsFinishedRunsAndResumesAnInterruptedOne() throws IOException {
    Path sweep = dir.resolve("sweep");
    Path file = dir.resolve("grid.sweep");
    Files.writeString(
        file,
        String.join(
            "\n",
            "# a 2 x 2 grid of tiny runs",
            "--grid h=0.5,0.25",
            "--grid lr=0.05,0.1   # the base learning rate",
            "--set model=hamiltonian:1,1:4,4,8 --set batch=8 --set steps=4",
            "--set checkpoint-every=1 --set train-fraction=0.1 --set augment=false",
            "--metric test_accuracy --metric train_loss",
            ""),
        StandardCharsets.UTF_8);

    Run first =
        revtrain("sweep", "--file", file.toString(), "--parallel", "2", "--out", sweep.toString());
    assertEquals(0, first.code(), first.out() + first.err());
    for (String r : RUNS) {
      Path run = sweep.resolve(r);
      List<MetricsRecord> records = new MetricsLog(run).read(w -> {});
      assertEquals(4, records.get(records.size() - 1).step(), r);
      assertTrue(first.out().contains(r + ": done, test accuracy"), first.out());
      String log = Files.readString(sweep.resolve("logs").resolve(r + ".log"));
      assertTrue(log.contains("--seed 1") && log.strip().endsWith("exit 0"), log);
    }
    String table = Files.readString(sweep.resolve("summary.md"));
    assertEquals(2 + 4, table.lines().count(), table);
    for (String r : RUNS) {
      assertTrue(table.contains(r), "the run behind each cell: " + table);
    }
    assertTrue(table.contains("| 0.25 | 0.1 | 1 | 0 |"), table);
    List<String> csv = Files.readAllLines(sweep.resolve("summary.csv"));
    assertEquals(
        "h,lr,runs,diverged,unfinished,test_accuracy_mean,test_accuracy_sd,test_loss_mean,"
            + "test_loss_sd,train_loss_mean,train_loss_sd,run_directories",
        csv.get(0));
    assertEquals(5, csv.size());
    for (String metric : List.of("test_accuracy", "train_loss")) {
      BufferedImage png = ImageIO.read(sweep.resolve(metric + ".png").toFile());
      assertTrue(png != null && png.getWidth() > 100, metric + ".png is an image");
    }

    // The same sweep again, given on the command line: nothing is trained or written in the runs.
    Map<String, byte[]> metrics = contents(sweep, MetricsLog.FILE);
    Map<String, FileTime> times = modified(sweep);
    Map<String, byte[]> logs = new LinkedHashMap<>();
    for (String r : RUNS) {
      logs.put(r, Files.readAllBytes(sweep.resolve("logs").resolve(r + ".log")));
    }
    Run second = revtrain(commandLine(sweep));
    assertEquals(0, second.code(), second.out() + second.err());
    for (String r : RUNS) {
      assertTrue(second.out().contains(r + ": complete, skipped"), second.out());
      assertArrayEquals(
          metrics.get(r), Files.readAllBytes(sweep.resolve(r).resolve(MetricsLog.FILE)));
      assertEquals(
          times.get(r), Files.getLastModifiedTime(sweep.resolve(r).resolve(MetricsLog.FILE)));
      assertArrayEquals(
          logs.get(r),
          Files.readAllBytes(sweep.resolve("logs").resolve(r + ".log")),
          "no process started for " + r);
    }
    assertEquals(table, Files.readString(sweep.resolve("summary.md")), "the same table");

    // One run as a kill after its second step leaves it: checkpoint 2 the latest, no later rows.
    String killed = RUNS.get(1);
    Path run = sweep.resolve(killed);
    Checkpoints.of(run)
        .abandonAfter(
            Checkpoints.read(run.resolve(Checkpoints.DIRECTORY).resolve(Checkpoints.name(2))));
    new MetricsLog(run).dropAfter(2);
    Run third = revtrain(commandLine(sweep));
    assertEquals(0, third.code(), third.out() + third.err());
    assertTrue(third.out().contains(killed + ": interrupted, resuming"), third.out());
    assertTrue(third.out().contains(killed + ": done, test accuracy"), third.out());
    String log = Files.readString(sweep.resolve("logs").resolve(killed + ".log"));
    assertTrue(log.contains("train --resume " + run), log);
    assertTrue(log.contains("resuming " + run + " at step 2 of 4"), log);
    List<MetricsRecord> records = new MetricsLog(run).read(w -> {});
    assertEquals(1, records.size());
    assertEquals(4, records.get(0).step());
    for (String r : RUNS) {
      if (!r.equals(killed)) {
        assertTrue(third.out().contains(r + ": complete, skipped"), third.out());
        assertEquals(
            times.get(r), Files.getLastModifiedTime(sweep.resolve(r).resolve(MetricsLog.FILE)));
      }
    }
  }

  private static void assertUsage(Run r, String... fragments) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.errLines().size(), r.err());
    for (String f : fragments) {
      assertTrue(r.errLines().get(0).contains(f), "'" + f + "' in " + r.err());
    }
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void badInputIsOneLineNamingTheFlag() throws IOException {
    String out = dir.resolve("s").toString();
    assertUsage(
        revtrain("sweep", "--grid", "depth=1,2", "--out", out),
        "--grid depth=1",
        "no option --depth");
    assertUsage(revtrain("sweep", "--grid", "lr=0.1,abc", "--out", out), "--grid lr=abc");
    assertUsage(revtrain("sweep", "--set", "seed=3", "--out", out), "--set seed=3", "--seeds");
    assertUsage(revtrain("sweep", "--set", "steps", "--out", out), "--set steps", "KEY=VALUE");
    assertUsage(
        revtrain("sweep", "--set", "model=hamiltonian:{blocks},1:4,4,8", "--out", out),
        "--set model=",
        "{blocks} names no --grid key");
    assertUsage(
        revtrain(
            "sweep",
            "--grid",
            "blocks=1,x",
            "--set",
            "model=hamiltonian:{blocks},1:4,4,8",
            "--out",
            out),
        "--set model=hamiltonian:x,1:4,4,8");
    assertUsage(revtrain("sweep", "--set", "augment=maybe", "--out", out), "--set augment=maybe");
    assertUsage(
        revtrain("sweep", "--grid", "lr=0.1", "--metric", "speed", "--out", out), "--metric");
    assertUsage(
        revtrain("sweep", "--grid", "lr=0.1", "--parallel", "0", "--out", out), "--parallel");
    assertUsage(revtrain("sweep", "--grid", "lr=0.1"), "--out");
    assertUsage(revtrain("sweep", "--file", dir.resolve("missing.sweep").toString()), "--file");
    Path bad = dir.resolve("bad.sweep");
    Files.writeString(bad, "--grid lr=0.1\n--frobnicate 3\n");
    assertUsage(
        revtrain("sweep", "--file", bad.toString(), "--out", out), "--file " + bad, "--frobnicate");
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("notes.txt"), "mine");
    assertUsage(
        revtrain("sweep", "--grid", "lr=0.1", "--out", other.toString()),
        "--out " + other,
        "not empty");
    Path held = Files.createDirectories(dir.resolve("held"));
    Files.writeString(
        held.resolve(SweepCommand.SWEEP_FILE),
        new SweepSpec(Map.of("lr", List.of("0.2")), Map.of(), 1).toJson().toString());
    assertUsage(
        revtrain("sweep", "--grid", "lr=0.1", "--out", held.toString()),
        "--out " + held,
        "another sweep");
  }

  /** The experiments' sweep files (experiments/sweeps), with the runs each must give. */
  @Test
  void everyCommittedSweepFileChecksOutAndNothingIsWrittenInADryRun() throws IOException {
    Map<String, Integer> runs =
        Map.of(
            "little-data.sweep", 36,
            "depth.sweep", 24,
            "lm-resnet.sweep", 12,
            "ode-ness.sweep", 20);
    Path out = dir.resolve("dry");
    for (Map.Entry<String, Integer> e : runs.entrySet()) {
      Path file = Path.of("sweeps", e.getKey());
      Run r = revtrain("sweep", "--file", file.toString(), "--out", out.toString(), "--dry-run");
      assertEquals(0, r.code(), e.getKey() + ": " + r.err());
      List<String> lines = r.out().lines().toList();
      assertEquals(e.getValue(), lines.size(), e.getKey() + ": " + r.out());
      assertTrue(lines.stream().allMatch(l -> l.startsWith("revtrain train ")), r.out());
      assertTrue(lines.stream().allMatch(l -> l.contains("--data fashion-mnist")), r.out());
      assertEquals(
          lines.size(), lines.stream().map(l -> l.replaceAll(".*--out ", "")).distinct().count());
    }
    assertFalse(Files.exists(out), "a dry run writes nothing");
    Run sd =
        revtrain("sweep", "--file", "sweeps/lm-resnet.sweep", "--out", out.toString(), "--dry-run");
    assertTrue(
        sd.out().contains("--stochastic-depth 0.5 --model lm-resnet:3,3,3:16,16,32,64"), sd.out());
  }

  @Test
  void cellsAreTheCartesianProductAndNamesAreReadable() {
    Map<String, List<String>> grid = new LinkedHashMap<>();
    grid.put("model", List.of("hamiltonian:2,2,2:16,16,32,64", "resnet-32"));
    grid.put("train-fraction", List.of("0.01", "1"));
    SweepSpec s = new SweepSpec(grid, Map.of("steps", "500"), 3);
    assertEquals(4, s.cells().size());
    assertEquals(12, s.runs().size());
    assertEquals(
        "model=hamiltonian-2-2-2-16-16-32-64_train-fraction=0.01_seed=1", s.runs().get(0).name());
    assertEquals("model=resnet-32_train-fraction=1_seed=3", s.runs().get(11).name());
    Map<String, String> fixed = new LinkedHashMap<>();
    fixed.put("steps", "500");
    fixed.put("augment", "false");
    fixed.put("adapt-steps", "false"); // off unless given: left out
    assertEquals(
        List.of(
            "--steps",
            "500",
            "--no-augment",
            "--model",
            "resnet-32",
            "--train-fraction",
            "1",
            "--seed",
            "3"),
        new SweepRun(s.runs().get(11).cell(), fixed, 3)
            .trainOptions(Map.of("augment", true, "adapt-steps", false), Set.of()));
    assertEquals(s, SweepSpec.fromJson(s.toJson()), "sweep.json reads back");

    // a grid key that is no option fills in fixed values
    Map<String, String> templated = new LinkedHashMap<>();
    templated.put("model", "hamiltonian:{blocks},{blocks}:4,4,8:{bn}");
    Map<String, String> cell = new LinkedHashMap<>();
    cell.put("bn", "nobn");
    cell.put("blocks", "9");
    assertEquals(
        List.of("--model", "hamiltonian:9,9:4,4,8:nobn", "--seed", "2"),
        new SweepRun(cell, templated, 2).trainOptions(Map.of(), Set.of("bn", "blocks")));
  }

  @Test
  void tableGivesMeanAndSampleStandardDeviationPerCell() {
    MetricsRecord a = record(0.50, 1.0);
    MetricsRecord b = record(0.60, 2.0);
    MetricsRecord c = record(0.70, 3.0);
    SweepTable t =
        new SweepTable(
            List.of("model"),
            List.of(
                new SweepTable.Cell(
                    Map.of("model", "m1"), List.of(a, b, c), 1, 0, List.of(Path.of("r1"))),
                new SweepTable.Cell(
                    Map.of("model", "m2"), List.of(a), 0, 2, List.of(Path.of("r2")))),
            List.of(SweepTable.Metric.TEST_ACCURACY));
    String md = t.markdown();
    // accuracies 50, 60, 70 %: mean 60, sample sd 10; losses 1, 2, 3: mean 2, sd 1
    assertTrue(md.contains("| m1 | 3 | 1 | 60.00 ± 10.00 | 2.000 ± 1.000 | r1 |"), md);
    assertTrue(md.contains("| m2 | 1 (2 unfinished) | 0 | 50.00 | 1.000 | r2 |"), md);
    List<String> csv = t.csv().lines().toList();
    assertEquals("m1,3,1,0,60.0000,10.0000,2.00000,1.00000,r1", csv.get(1));
  }

  private static MetricsRecord record(double testAccuracy, double testLoss) {
    return new MetricsRecord(1, 10, 0.5, 0.5, testLoss, testAccuracy, 0.1, 1, -1, 0);
  }
}
