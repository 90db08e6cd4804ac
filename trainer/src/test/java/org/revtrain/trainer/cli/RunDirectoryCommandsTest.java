package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.trainer.Checkpoints;
import org.revtrain.trainer.MetricsLog;
import org.revtrain.trainer.MetricsRecord;

/**
 * What {@code train --out}, {@code train --resume} and {@code export --saved-model} do with the
 * directories they are given: complete runs, runs that died before their first checkpoint,
 * directories that are not runs.
 */
class RunDirectoryCommandsTest {
  @TempDir Path dir;
  private Path run;
  private String[] train;

  @BeforeEach
  void data() throws IOException {
    Path data = Cli.idx(dir.resolve("data"));
    run = dir.resolve("run");
    train = Cli.tinyTraining(data, 6, run);
  }

  @Test
  void resumingACompleteRunSaysHowToExtendItAndWritesNothing() throws IOException {
    assertEquals(0, Cli.run(train).code());
    Map<Path, String> before = contents(run);
    Cli.Run r = Cli.run("train", "--resume", run.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(
        List.of(
            run
                + ": complete at step 6 of 6; to extend it, give a larger total, e.g. revtrain"
                + " train --resume "
                + run
                + " --steps 12"),
        r.out().lines().toList());
    assertEquals("", r.err());
    assertEquals(before, contents(run), "nothing written");

    Cli.run("train", "--resume", run.toString(), "--steps", "4")
        .assertUsageError("--steps 4", "at step 6 already", "the run's new total");
    assertEquals(before, contents(run), "nothing written");
  }

  @Test
  void aResumedRunSaysWhereItContinuesAndRemovesStaleTemporaries() throws IOException {
    assertEquals(0, Cli.run(train).code());
    Path checkpoints = run.resolve(Checkpoints.DIRECTORY);
    Files.createDirectories(checkpoints.resolve(".tmp-step-00000007-k1"));
    Files.writeString(checkpoints.resolve(".tmp-latest-k2"), "step-00000007\n");
    Cli.Run r = Cli.run("train", "--resume", run.toString(), "--steps", "8");
    assertEquals(0, r.code(), r.err());
    List<String> out = r.out().lines().toList();
    assertEquals("resuming " + run + " at step 6 of 8 (step-00000006)", out.get(0));
    assertTrue(out.get(out.size() - 1).contains("(8 steps"), r.out());
    String help = Cli.run("train", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains("With --resume: the run's new total, not steps to add"), help);
    assertTrue(help.contains("the schedule then runs over the new total from the resumed step on"));
    try (Stream<Path> s = Files.list(checkpoints)) {
      assertEquals(
          List.of(),
          s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).toList());
    }
  }

  @Test
  void aRunThatDiedBeforeItsFirstCheckpointIsStartedAgainByTheSameCommand() throws IOException {
    assertEquals(0, Cli.run(train).code());
    // what a run killed (or diverged) before its first checkpoint leaves: its configuration, maybe
    // an evaluation logged just before the kill, and a checkpoint write's temporary
    Path checkpoints = run.resolve(Checkpoints.DIRECTORY);
    try (Stream<Path> s = Files.walk(checkpoints)) {
      s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
    Files.createDirectories(checkpoints.resolve(".tmp-step-00000006-k3"));
    assertEquals(1, Files.readAllLines(run.resolve(MetricsLog.FILE)).size());

    Cli.run("train", "--resume", run.toString())
        .assertUsageError(
            "--resume " + run, "stopped before its first checkpoint", "start it again");
    Cli.Run again = Cli.run(train);
    assertEquals(0, again.code(), again.err());
    assertEquals(
        List.of(
            "revtrain train: "
                + run
                + " holds a run that stopped before its first checkpoint;"
                + " starting it again"),
        again.errLines());
    List<MetricsRecord> rows = new MetricsLog(run).read(w -> {});
    assertEquals(
        List.of(6L), rows.stream().map(MetricsRecord::step).toList(), "one row, no leftover");
    assertEquals(6, Checkpoints.locate(run).state().step());
  }

  @Test
  void trainAndExportRefuseANonEmptyDirectoryThatIsNotARunNamingWhatIsThere() throws IOException {
    Path other = Files.createDirectories(dir.resolve("notes"));
    Files.writeString(other.resolve("todo.txt"), "keep me");
    Files.createDirectories(other.resolve("drafts"));
    Map<Path, String> before = contents(other);
    String[] intoOther = train.clone();
    intoOther[intoOther.length - 1] = other.toString();
    Cli.run(intoOther).assertUsageError("--out " + other, "not empty (holds drafts/, todo.txt)");

    assertEquals(0, Cli.run(train).code());
    Cli.run("export", "--checkpoint", run.toString(), "--saved-model", other.toString())
        .assertUsageError("--saved-model " + other, "not empty (holds drafts/, todo.txt)");
    Cli.run("export", "--checkpoint", run.toString(), "--saved-model", run.toString())
        .assertUsageError("--saved-model " + run, "not empty (holds checkpoints/, config.json");
    assertEquals(before, contents(other), "nothing written");
    assertFalse(Files.exists(other.resolve(MetricsLog.FILE)));
  }

  /** Every file of a directory tree with its bytes and modification time. */
  static Map<Path, String> contents(Path root) throws IOException {
    Map<Path, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        m.put(
            root.relativize(p),
            Files.getLastModifiedTime(p)
                + (Files.isRegularFile(p) ? " " + Arrays.toString(Files.readAllBytes(p)) : ""));
      }
    }
    return m;
  }
}
