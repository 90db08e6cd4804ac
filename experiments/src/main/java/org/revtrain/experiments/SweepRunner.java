package org.revtrain.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.revtrain.trainer.Checkpoint;
import org.revtrain.trainer.Checkpoints;

/**
 * Runs a sweep's runs, each as {@code revtrain train} in a JVM of its own (so that runs share no
 * TensorFlow session, thread pool or allocator, and a crash or divergence ends one run only), with
 * its output in {@code DIR/logs/NAME.log}. A run is resumable as every {@code train} run is: one
 * whose latest checkpoint has reached its length is complete and skipped, one with an earlier
 * checkpoint is continued with {@code train --resume}, one that diverged (exit 3, recorded at the
 * end of its log) is a result and is skipped, any other is trained from the start.
 */
final class SweepRunner {
  /** The last line of a run's log: how its process ended. */
  static final String EXIT_PREFIX = "exit ";

  /** Where a run stands before the sweep (re)starts it. */
  enum Status {
    /** No checkpoint: trained from the start. */
    NEW,
    /** A checkpoint short of the run's length: resumed from it. */
    INTERRUPTED,
    /** A checkpoint at the run's length: skipped. */
    COMPLETE,
    /** The run diverged (exit 3): skipped, reported as such. */
    DIVERGED
  }

  /** What became of one run: its status before, and the exit code of its process (-1: none). */
  record Outcome(SweepRun run, Path directory, Status before, int exitCode) {
    boolean ran() {
      return exitCode >= 0;
    }
  }

  private final List<String> launcher;
  private final Path directory;
  private final Map<String, Boolean> flags;
  private final Set<String> variables;
  private final Set<Process> live = ConcurrentHashMap.newKeySet();

  /**
   * @param launcher the command that runs {@code revtrain}, e.g. {@code java -cp ... Main}
   * @param directory the sweep's directory
   * @param flags the {@code train} options that take no value, with whether they have a {@code
   *     --no-} form
   * @param variables the grid keys that are no {@code train} options
   */
  SweepRunner(
      List<String> launcher, Path directory, Map<String, Boolean> flags, Set<String> variables) {
    this.launcher = List.copyOf(launcher);
    this.directory = directory;
    this.flags = Map.copyOf(flags);
    this.variables = Set.copyOf(variables);
  }

  /** The run directory of {@code run}. */
  Path runDirectory(SweepRun run) {
    return directory.resolve(run.name());
  }

  /** The log of {@code run}'s processes. */
  Path log(SweepRun run) {
    return directory.resolve("logs").resolve(run.name() + ".log");
  }

  /** Where {@code run} stands. */
  Status status(SweepRun run) {
    if (lastExitCode(log(run)) == 3) {
      return Status.DIVERGED;
    }
    Path dir = runDirectory(run);
    if (!Files.isDirectory(dir.resolve(Checkpoints.DIRECTORY))) {
      return Status.NEW;
    }
    Optional<Checkpoint> latest = Checkpoints.of(dir).latest();
    if (latest.isEmpty()) {
      return Status.NEW;
    }
    var state = latest.get().state();
    long total = state.config().totalSteps(state.stepsPerEpoch());
    return state.step() >= total ? Status.COMPLETE : Status.INTERRUPTED;
  }

  /** The exit code a log records last, or -1. */
  static int lastExitCode(Path log) {
    if (!Files.isRegularFile(log)) {
      return -1;
    }
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i).strip();
        if (l.startsWith(EXIT_PREFIX)) {
          return Integer.parseInt(l.substring(EXIT_PREFIX.length()).strip());
        }
        if (!l.isEmpty()) {
          return -1;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** The {@code train} arguments that start or continue {@code run} from {@code status}. */
  List<String> trainArguments(SweepRun run, Status status) {
    List<String> args = new ArrayList<>();
    args.add("train");
    if (status == Status.INTERRUPTED) {
      args.addAll(List.of("--resume", runDirectory(run).toString()));
    } else {
      args.addAll(run.trainOptions(flags, variables));
      args.addAll(List.of("--out", runDirectory(run).toString()));
    }
    return args;
  }

  /**
   * Trains {@code run} to its end unless it is complete or diverged, appending the process's output
   * and its exit code to the run's log.
   */
  Outcome run(SweepRun run) throws IOException, InterruptedException {
    Status before = status(run);
    if (before == Status.COMPLETE || before == Status.DIVERGED) {
      return new Outcome(run, runDirectory(run), before, -1);
    }
    Path log = log(run);
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>(launcher);
    command.addAll(trainArguments(run, before));
    Files.writeString(
        log,
        "$ revtrain " + String.join(" ", command.subList(launcher.size(), command.size())) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    live.add(p);
    int code;
    try {
      code = p.waitFor();
    } finally {
      live.remove(p);
    }
    Files.writeString(
        log, EXIT_PREFIX + code + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    return new Outcome(run, runDirectory(run), before, code);
  }

  /**
   * Asks every running {@code train} to stop (SIGTERM: it writes a checkpoint, so a rerun resumes
   * it) and waits for them.
   */
  void stopAll() {
    for (Process p : List.copyOf(live)) {
      p.destroy();
    }
    for (Process p : List.copyOf(live)) {
      try {
        p.waitFor(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
