package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.trainer.Checkpoint;
import org.revtrain.trainer.Checkpoints;
import org.revtrain.trainer.MetricsLog;
import org.revtrain.trainer.MetricsRecord;

/**
 * Fault injection. Training processes, each a real JVM running the {@code revtrain} command, are
 * killed with SIGKILL at random moments (the checkpoint writer pauses between its stages, so many
 * kills land inside a write), then resumed, or started again where no checkpoint was written, by
 * the same command run in this JVM. Then checkpoints are damaged on disk (truncated, bytes flipped,
 * index deleted) and the run evaluated and resumed. Every trial must end with the weights and
 * metrics rows of an uninterrupted run, and no kill may leave a damaged checkpoint or an unreadable
 * {@code latest}.
 *
 * <p>System properties {@value #KILLS_PROPERTY} (default {@value #DEFAULT_KILLS}) and {@value
 * #SEED_PROPERTY} change the number of kill trials and the seed of their random moments.
 */
@DisabledOnOs(OS.WINDOWS)
class FaultInjectionTest {
  static final String KILLS_PROPERTY = "revtrain.fault-injection.kills";
  static final String SEED_PROPERTY = "revtrain.fault-injection.seed";
  static final int DEFAULT_KILLS = 20;

  /** Steps of every run: 10 an epoch, so evaluations at 10, 20 and 24; a checkpoint every step. */
  static final int STEPS = 24;

  /** The writer's pause after each of its four stages. */
  static final int PAUSE_MILLIS = 20;

  /** Trials run side by side: a JVM's start-up keeps about one core busy. */
  static final int CONCURRENT_TRIALS = 2;

  @TempDir static Path dir;
  static Path data;
  static Path reference;
  static Map<String, byte[]> referenceVariables;
  static List<MetricsRecord> referenceRows;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    data = Cli.idx(dir.resolve("data"));
    reference = dir.resolve("reference");
    Process p = launch(reference, "reference", trainCommand(reference));
    finish(p, reference, "reference");
    referenceVariables = variables(reference);
    referenceRows = new MetricsLog(reference).read(w -> {});
    assertEquals(List.of(10L, 20L, 24L), referenceRows.stream().map(MetricsRecord::step).toList());
  }

  /** Where a kill landed. */
  enum Moment {
    BEFORE_FIRST_CHECKPOINT,
    INSIDE_CHECKPOINT_WRITE,
    BETWEEN_CHECKPOINT_WRITES,
    AFTER_THE_RUN
  }

  @Test
  void killedRunsResumeToTheWeightsOfAnUninterruptedRun() throws Exception {
    int kills = Integer.getInteger(KILLS_PROPERTY, DEFAULT_KILLS);
    long seed = Long.getLong(SEED_PROPERTY, 20261203L);
    ExecutorService trials = Executors.newFixedThreadPool(CONCURRENT_TRIALS);
    List<Future<Moment>> outcomes = new ArrayList<>();
    try {
      for (int t = 0; t < kills; t++) {
        int trial = t;
        outcomes.add(trials.submit(() -> killAndResume(trial, seed)));
      }
      Map<Moment, Integer> moments = new TreeMap<>();
      for (Future<Moment> f : outcomes) {
        try {
          moments.merge(f.get(), 1, Integer::sum);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error failed) {
            throw failed; // an assertion of the trial
          }
          throw (Exception) e.getCause();
        }
      }
      System.out.println(
          String.format(
              Locale.ROOT,
              "fault injection: %d SIGKILL trials (seed %d): %s; every one resumed to the"
                  + " uninterrupted run's weights and metrics",
              kills,
              seed,
              moments));
    } finally {
      trials.shutdownNow();
    }
  }

  /**
   * Trial {@code t}: a run killed at a random moment (every fourth one during its first seconds,
   * mostly before its first checkpoint; the others a moment after their k-th checkpoint, k random),
   * then resumed or started again.
   */
  private static Moment killAndResume(int t, long seed) throws Exception {
    Random random = new Random(seed * 1000 + t);
    Path run = dir.resolve("killed-" + t);
    Process p = launch(run, "first", trainCommand(run));
    try {
      if (t % 4 == 0) {
        Thread.sleep(500 + random.nextInt(2500));
      } else {
        awaitCheckpoint(run, 1 + random.nextInt(STEPS - 1), p);
        Thread.sleep(random.nextInt(6 * PAUSE_MILLIS));
      }
    } finally {
      p.destroyForcibly(); // SIGKILL
    }
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    Moment moment = p.exitValue() == 0 ? Moment.AFTER_THE_RUN : afterKill(run);
    String trial = "trial " + t + " (seed " + seed + ", killed " + moment + ")";

    boolean resumable =
        Files.isDirectory(run.resolve(Checkpoints.DIRECTORY))
            && Checkpoints.of(run).latest().isPresent();
    boolean restartable = !resumable && Files.exists(run.resolve("config.json"));
    // the resumed (or restarted) run: the same command line, in this JVM to save a start-up
    Cli.Run again =
        Cli.run(resumable ? new String[] {"train", "--resume", run.toString()} : trainCommand(run));
    assertEquals(0, again.code(), trial + ": " + again.err());
    assertEquals(
        restartable, again.err().contains("starting it again"), trial + ": " + again.err());
    assertLikeTheReference(run, trial);
    return moment;
  }

  @Test
  void damagedCheckpointsArePassedOverByEvalAndResume() throws Exception {
    Random random = new Random(Long.getLong(SEED_PROPERTY, 20261203L));
    String newest = "step-00000024";
    String older = "step-00000023";
    List<Damage> damages =
        List.of(
            new Damage("truncated data", newest, data(), random, Damage::truncate),
            new Damage("truncated index", newest, "variables.index", random, Damage::truncate),
            new Damage("empty data", newest, data(), random, (b, r) -> new byte[0]),
            new Damage("flipped data byte", newest, data(), random, Damage::flip),
            new Damage("flipped index byte", newest, "variables.index", random, Damage::flip),
            new Damage("flipped state byte", newest, Checkpoints.STATE, random, Damage::flip),
            new Damage("deleted index", newest, "variables.index", random, (b, r) -> null));
    int trials = 0;
    for (Damage d : damages) {
      Path run = copyOfReference("damaged-" + trials++);
      d.apply(run);
      assertFallsBack(run, List.of(d), older, d.what);
    }
    // the two newest damaged: back to the third
    Path run = copyOfReference("damaged-" + trials++);
    List<Damage> two =
        List.of(
            new Damage("flipped data byte", newest, data(), random, Damage::flip),
            new Damage("truncated index", older, "variables.index", random, Damage::truncate));
    for (Damage d : two) {
      d.apply(run);
    }
    assertFallsBack(run, two, "step-00000022", "two damaged");

    // every checkpoint damaged: exit 2 naming the newest damaged file
    run = copyOfReference("damaged-" + trials++);
    for (String step : List.of(newest, older, "step-00000022")) {
      new Damage("deleted index", step, "variables.index", random, (b, r) -> null).apply(run);
    }
    Path newestIndex = checkpoint(run, newest).resolve("variables.index");
    Cli.run("eval", "--checkpoint", run.toString())
        .assertUsageError("--checkpoint " + newestIndex + ": missing", "no usable checkpoint");
    Cli.run("train", "--resume", run.toString())
        .assertUsageError("--resume " + newestIndex + ": missing", "no usable checkpoint");
    System.out.println(
        "fault injection: "
            + trials
            + " damage trials ("
            + damages.size()
            + " kinds on the newest checkpoint, two damaged, all damaged)");
  }

  /**
   * {@code eval} and {@code train --resume} warn once per damaged checkpoint, naming its file, and
   * use {@code expected}; the resumed run ends as the reference.
   */
  private static void assertFallsBack(Path run, List<Damage> damages, String expected, String what)
      throws IOException {
    Cli.Run eval = Cli.run("eval", "--checkpoint", run.toString());
    assertEquals(0, eval.code(), what + ": " + eval.err());
    assertWarned(eval, damages, run, expected, what);
    long step = Long.parseLong(expected.substring("step-".length()));
    assertTrue(eval.out().strip().endsWith("at step " + step + ")"), what + ": " + eval.out());

    Cli.Run resumed = Cli.run("train", "--resume", run.toString());
    assertEquals(0, resumed.code(), what + ": " + resumed.err());
    assertWarned(resumed, damages, run, expected, what);
    assertEquals(
        "resuming " + run + " at step " + step + " of " + STEPS + " (" + expected + ")",
        resumed.out().lines().findFirst().orElseThrow(),
        what);
    assertLikeTheReference(run, what);
  }

  private static void assertWarned(
      Cli.Run r, List<Damage> damages, Path run, String expected, String what) {
    assertEquals(damages.size(), r.errLines().size(), what + ": " + r.err());
    for (int i = 0; i < damages.size(); i++) {
      String line = r.errLines().get(i);
      Path file = checkpoint(run, damages.get(i).step).resolve(damages.get(i).file);
      assertTrue(line.contains(": warning: " + file + ": "), what + ": " + line);
      assertTrue(line.endsWith("; using the older checkpoint " + expected), what + ": " + line);
    }
  }

  /** A damage to one file of one checkpoint: its new bytes, null to delete it. */
  record Damage(String what, String step, String file, Random random, Change change) {
    interface Change {
      byte[] apply(byte[] bytes, Random random);
    }

    void apply(Path run) throws IOException {
      Path f = checkpoint(run, step).resolve(file);
      byte[] changed = change.apply(Files.readAllBytes(f), random);
      if (changed == null) {
        Files.delete(f);
      } else {
        Files.write(f, changed);
      }
    }

    static byte[] truncate(byte[] bytes, Random random) {
      return Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }

    static byte[] flip(byte[] bytes, Random random) {
      byte[] b = bytes.clone();
      b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
      return b;
    }
  }

  private static String data() {
    return Checkpoint.VARIABLES + ".data-00000-of-00001";
  }

  private static Path checkpoint(Path run, String step) {
    return run.resolve(Checkpoints.DIRECTORY).resolve(step);
  }

  private static Path copyOfReference(String name) throws IOException {
    Path copy = dir.resolve(name);
    try (Stream<Path> s = Files.walk(reference)) {
      for (Path p : s.toList()) {
        Path target = copy.resolve(reference.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return copy;
  }

  /**
   * Where the kill landed, after checking that it left no damaged checkpoint and that {@code
   * latest}, if there is one, names a readable checkpoint.
   */
  private static Moment afterKill(Path run) throws IOException {
    Path checkpoints = run.resolve(Checkpoints.DIRECTORY);
    if (!Files.isDirectory(checkpoints)) {
      return Moment.BEFORE_FIRST_CHECKPOINT;
    }
    Path latest = checkpoints.resolve(Checkpoints.LATEST);
    long latestStep = -1;
    if (Files.exists(latest)) {
      String name = Files.readString(latest).strip();
      latestStep = Checkpoints.read(checkpoints.resolve(name)).state().step(); // throws if damaged
    }
    assertEquals(List.of(), Checkpoints.of(run).select().damaged(), "a kill damaged nothing");
    List<String> names;
    try (Stream<Path> s = Files.list(checkpoints)) {
      names = s.map(p -> p.getFileName().toString()).toList();
    }
    long newest =
        names.stream()
            .filter(n -> n.startsWith("step-"))
            .mapToLong(n -> Long.parseLong(n.substring(5)))
            .max()
            .orElse(-1);
    if (names.stream().anyMatch(n -> n.startsWith(".tmp-")) || newest > latestStep) {
      return Moment.INSIDE_CHECKPOINT_WRITE;
    }
    return latestStep < 0 ? Moment.BEFORE_FIRST_CHECKPOINT : Moment.BETWEEN_CHECKPOINT_WRITES;
  }

  /**
   * The run's last checkpoint holds the reference's variables, byte for byte; its metrics rows are
   * the reference's (but for wall time and allocator peak); no temporary is left.
   */
  private static void assertLikeTheReference(Path run, String trial) throws IOException {
    Checkpoint last = Checkpoints.locate(run);
    assertEquals(STEPS, last.state().step(), trial);
    Map<String, byte[]> vars = variables(run);
    assertEquals(referenceVariables.keySet(), vars.keySet(), trial);
    for (String name : vars.keySet()) {
      assertArrayEquals(referenceVariables.get(name), vars.get(name), trial + ": " + name);
    }
    List<MetricsRecord> rows = new MetricsLog(run).read(w -> {});
    assertEquals(
        referenceRows.stream().map(MetricsRecord::step).toList(),
        rows.stream().map(MetricsRecord::step).toList(),
        trial);
    for (int i = 0; i < rows.size(); i++) {
      MetricsRecord a = referenceRows.get(i);
      MetricsRecord b = rows.get(i);
      assertEquals(a.trainLoss(), b.trainLoss(), 1e-9, trial + ", step " + a.step());
      assertEquals(a.trainAccuracy(), b.trainAccuracy(), 1e-9, trial + ", step " + a.step());
      assertEquals(a.testLoss(), b.testLoss(), 1e-9, trial + ", step " + a.step());
      assertEquals(a.testAccuracy(), b.testAccuracy(), 1e-9, trial + ", step " + a.step());
      assertEquals(a.learningRate(), b.learningRate(), 1e-12, trial + ", step " + a.step());
    }
    try (Stream<Path> s = Files.list(run.resolve(Checkpoints.DIRECTORY))) {
      assertEquals(
          List.of(),
          s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).toList(),
          trial);
    }
  }

  /** The variable files of the run's last checkpoint, by name. */
  private static Map<String, byte[]> variables(Path run) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(Checkpoints.locate(run).directory())) {
      for (Path p : s.filter(p -> !p.getFileName().toString().equals(Checkpoints.STATE)).toList()) {
        m.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return m;
  }

  private static String[] trainCommand(Path run) {
    return Cli.tinyTraining(data, STEPS, run, "--checkpoint-every", "1", "--lr", "0.05");
  }

  /** Starts {@code revtrain} in a new JVM, its output in {@code run}'s sibling log files. */
  private static Process launch(Path run, String name, String... args) throws IOException {
    List<String> command =
        Cli.inNewJvm(
            List.of(
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-D" + Checkpoints.WRITE_PAUSE_PROPERTY + "=" + PAUSE_MILLIS),
            args);
    Path logs = run.resolveSibling(run.getFileName() + "-" + name);
    return new ProcessBuilder(command)
        .redirectOutput(logs.resolveSibling(logs.getFileName() + ".out.log").toFile())
        .redirectError(logs.resolveSibling(logs.getFileName() + ".err.log").toFile())
        .start();
  }

  /** Waits for a launched command to exit 0. */
  private static void finish(Process p, Path run, String trial) throws Exception {
    try {
      assertTrue(p.waitFor(180, TimeUnit.SECONDS), trial + ": still running");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), trial + ": " + stderrOf(run));
  }

  private static String stderrOf(Path run) throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.list(run.getParent())) {
      for (Path p :
          s.filter(p -> p.getFileName().toString().startsWith(run.getFileName() + "-"))
              .filter(p -> p.toString().endsWith(".err.log"))
              .sorted()
              .toList()) {
        b.append(p.getFileName()).append(": ").append(Files.readString(p)).append(' ');
      }
    }
    return b.toString();
  }

  /** Waits until the run's {@code latest} names step {@code step} or later, or the process ends. */
  private static void awaitCheckpoint(Path run, int step, Process p) throws Exception {
    Path latest = run.resolve(Checkpoints.DIRECTORY).resolve(Checkpoints.LATEST);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (p.isAlive() && System.nanoTime() < deadline) {
      try {
        String name = Files.readString(latest).strip();
        if (Long.parseLong(name.substring("step-".length())) >= step) {
          return;
        }
      } catch (IOException | RuntimeException notYet) {
        // no pointer yet
      }
      Thread.sleep(5);
    }
  }
}
