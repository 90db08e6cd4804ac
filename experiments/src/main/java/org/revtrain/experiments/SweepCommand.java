package org.revtrain.experiments;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.revtrain.trainer.MetricsLog;
import org.revtrain.trainer.MetricsRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code revtrain sweep}: {@code train} over a grid of options and seeds, one run directory per
 * cell and seed, each run in a JVM of its own ({@link SweepRunner}); rerunning the same command
 * skips the finished runs and resumes an interrupted one. Ends with a table (Markdown and CSV: per
 * cell the mean ± standard deviation over the seeds of the final test accuracy and loss, and the
 * runs behind them) and one plot per {@code --metric}.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains every cell of a grid of train options with every seed, each run in its own JVM, into"
          + " DIR/CELL_seed=S; then writes DIR/summary.md and DIR/summary.csv (per cell: mean ±"
          + " standard deviation over the seeds of the final test accuracy and loss, the runs"
          + " behind them) and one plot DIR/METRIC.png per --metric.",
      "The same command again skips finished runs and diverged ones (exit 3 is a result), resumes"
          + " interrupted ones (train --resume) and retrains failed ones.",
      "Example: revtrain sweep --grid model=hamiltonian-38,resnet-32 --grid"
          + " train-fraction=0.01,0.05 --seeds 3 --set steps=500 --set data=fashion-mnist --out"
          + " runs/little-data."
    })
final class SweepCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--grid",
      paramLabel = "KEY=V1,V2,...",
      description =
          "Vary the train option --KEY over these values (separate them by ';' instead when a"
              + " value holds commas, e.g. model=hamiltonian:2,2,2:16,16,32,64;resnet-32);"
              + " repeatable: the cells are every combination.")
  List<String> grid = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Give every run the train option --KEY VALUE (a flag: KEY=true or KEY=false for"
              + " --no-KEY); in VALUE, {K} stands for the run's value of grid key K, which then"
              + " need not be a train option, e.g. --grid blocks=2,9 --set"
              + " model=hamiltonian:{blocks},{blocks},{blocks}:16,16,32,64; repeatable.")
  List<String> set = new ArrayList<>();

  @Option(
      names = "--seeds",
      paramLabel = "N",
      description = "Runs per cell, with --seed 1 to N (default: 1).")
  Integer seeds;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The sweep's directory: a new or empty one, or this sweep's to continue it.")
  Path out;

  @Option(names = "--parallel", paramLabel = "N", description = "Runs at a time (default: 1).")
  Integer parallel;

  @Option(
      names = "--metric",
      paramLabel = "M",
      description =
          "Plot this metric of each run's last evaluation, mean ± sd per cell: test_accuracy"
              + " (default), test_loss, train_accuracy, train_loss or seconds; repeatable.")
  List<String> metric = new ArrayList<>();

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description =
          "Read options from FILE (e.g. experiments/sweeps/little-data.sweep): sweep options as on"
              + " the command line, any number a line, '#' starts a comment; options on the"
              + " command line are added to them (--grid, --set) or replace them.")
  Path file;

  @Option(
      names = "--dry-run",
      description =
          "Check the options and print each run's train command line; train and write nothing.")
  boolean dryRun;

  /** The sweep directory's record of its sweep. */
  static final String SWEEP_FILE = "sweep.json";

  @Override
  public Integer call() throws IOException, InterruptedException {
    SweepCommand options = file == null ? this : merged(fromFile(), this);
    if (options.out == null) {
      throw usage("--out is missing: the directory the sweep's runs go into");
    }
    int parallelRuns = options.parallel != null ? options.parallel : 1;
    if (parallelRuns < 1) {
      throw usage("--parallel must be at least 1, got " + parallelRuns);
    }
    List<SweepTable.Metric> metrics = new ArrayList<>();
    for (String m : options.metric.isEmpty() ? List.of("test_accuracy") : options.metric) {
      try {
        metrics.add(SweepTable.Metric.parse(m));
      } catch (IllegalArgumentException e) {
        throw usage("--metric " + e.getMessage());
      }
    }
    int n = options.seeds != null ? options.seeds : 1;
    if (n < 1) {
      throw usage("--seeds must be at least 1, got " + n);
    }
    SweepOptions trainOptions =
        new SweepOptions(Main.commandLine().getSubcommands().get("train").getCommandSpec());
    SweepSpec sweep = trainOptions.spec(options.grid, options.set, n);
    Path dir = options.out;
    SweepRunner runner =
        new SweepRunner(launcher(), dir, trainOptions.flags(), trainOptions.variables());
    List<SweepRun> runs = sweep.runs();
    PrintWriter outWriter = spec.commandLine().getOut();
    if (dryRun) {
      for (SweepRun r : runs) {
        outWriter.println(
            "revtrain " + String.join(" ", runner.trainArguments(r, SweepRunner.Status.NEW)));
      }
      outWriter.flush();
      return 0;
    }
    requireDirectory(dir, sweep);

    outWriter.printf(
        Locale.ROOT,
        "sweep: %d cells x %d seeds = %d runs, %d at a time -> %s%n",
        sweep.cells().size(),
        sweep.seeds(),
        runs.size(),
        parallelRuns,
        dir);
    outWriter.flush();
    Thread hook = new Thread(runner::stopAll, "sweep-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    List<SweepRunner.Outcome> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(parallelRuns);
    try {
      AtomicInteger started = new AtomicInteger();
      List<Future<SweepRunner.Outcome>> futures = new ArrayList<>();
      for (SweepRun r : runs) {
        futures.add(
            pool.submit(
                () -> {
                  String label = "[" + started.incrementAndGet() + "/" + runs.size() + "] ";
                  SweepRunner.Status before = runner.status(r);
                  if (before == SweepRunner.Status.NEW) {
                    say(label + r.name() + ": training");
                  } else if (before == SweepRunner.Status.INTERRUPTED) {
                    say(label + r.name() + ": interrupted, resuming");
                  }
                  SweepRunner.Outcome o = runner.run(r);
                  say(label + r.name() + ": " + describe(o, runner));
                  return o;
                }));
      }
      for (Future<SweepRunner.Outcome> f : futures) {
        try {
          outcomes.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
    }

    SweepTable table = SweepTable.read(sweep, runner, metrics);
    List<Path> written = table.write(dir, dir.getFileName().toString());
    outWriter.print(table.markdown());
    outWriter.println(
        "written: " + String.join(", ", written.stream().map(Path::toString).toList()));
    outWriter.flush();
    List<SweepRunner.Outcome> failed =
        outcomes.stream().filter(o -> o.ran() && o.exitCode() != 0 && o.exitCode() != 3).toList();
    if (!failed.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          spec.qualifiedName()
              + ": "
              + failed.size()
              + " of "
              + runs.size()
              + " runs failed (exit "
              + failed.get(0).exitCode()
              + ": see "
              + runner.log(failed.get(0).run())
              + (failed.size() > 1 ? " and the other logs" : "")
              + "); the same command retries them");
      err.flush();
      return 1;
    }
    return 0;
  }

  private synchronized void say(String line) {
    PrintWriter w = spec.commandLine().getOut();
    w.println(line);
    w.flush();
  }

  private static String describe(SweepRunner.Outcome o, SweepRunner runner) {
    if (!o.ran()) {
      return o.before() == SweepRunner.Status.COMPLETE ? "complete, skipped" : "diverged, skipped";
    }
    return switch (o.exitCode()) {
      case 0 -> {
        List<MetricsRecord> records = new MetricsLog(o.directory()).read(w -> {});
        MetricsRecord last = records.get(records.size() - 1);
        yield String.format(
            Locale.ROOT,
            "done, test accuracy %.2f%%, test loss %.4f, %.0f s",
            100 * last.testAccuracy(),
            last.testLoss(),
            last.seconds());
      }
      case 3 -> "diverged";
      default -> "failed (exit " + o.exitCode() + "), see " + runner.log(o.run());
    };
  }

  /**
   * Makes sure {@code dir} can hold this sweep: new, empty, or holding this very sweep (whose
   * {@value #SWEEP_FILE} it then keeps); records the sweep there.
   */
  private void requireDirectory(Path dir, SweepSpec sweep) throws IOException {
    Path record = dir.resolve(SWEEP_FILE);
    if (Files.isRegularFile(record)) {
      SweepSpec had;
      try {
        had =
            SweepSpec.fromJson(
                JsonParser.parseString(Files.readString(record, StandardCharsets.UTF_8))
                    .getAsJsonObject());
      } catch (RuntimeException e) {
        throw usage(
            "--out " + dir + ": " + SWEEP_FILE + " cannot be read (" + e.getMessage() + ")");
      }
      if (!had.equals(sweep)) {
        throw usage(
            "--out "
                + dir
                + ": holds another sweep ("
                + record
                + "); give its options again to continue it, or choose another directory");
      }
      return;
    }
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw usage("--out " + dir + ": not a directory");
      }
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw usage(
              "--out "
                  + dir
                  + ": not empty and not a sweep's directory; choose a new or empty one");
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(
        record,
        new GsonBuilder().setPrettyPrinting().create().toJson(sweep.toJson()) + "\n",
        StandardCharsets.UTF_8);
  }

  /**
   * The command that runs {@code revtrain} in a new JVM: this JVM's java, heap limit and classes.
   */
  private static List<String> launcher() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-Xmx"))
        .forEach(cmd::add);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return cmd;
  }

  /**
   * The options of {@link #file}: sweep options, whitespace-separated, '#' to the end of a line.
   */
  private SweepCommand fromFile() throws IOException {
    List<String> tokens = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw usage(
          "--file "
              + file
              + ": cannot be read ("
              + e.getClass().getSimpleName().replace("Exception", "")
              + ")");
    }
    for (String line : lines) {
      String text = line.replaceAll("#.*", "").strip();
      if (!text.isEmpty()) {
        tokens.addAll(Arrays.asList(text.split("\\s+")));
      }
    }
    SweepCommand fromFile = new SweepCommand();
    try {
      new CommandLine(fromFile).parseArgs(tokens.toArray(String[]::new));
    } catch (ParameterException e) {
      throw usage("--file " + file + ": " + e.getMessage());
    }
    if (fromFile.file != null) {
      throw usage(
          "--file " + file + ": a sweep file cannot name another (--file " + fromFile.file + ")");
    }
    return fromFile;
  }

  /**
   * {@code base}'s options with {@code over}'s added (lists) or put in their place (the others).
   */
  private SweepCommand merged(SweepCommand base, SweepCommand over) {
    SweepCommand m = new SweepCommand();
    m.spec = spec;
    m.grid.addAll(base.grid);
    m.grid.addAll(over.grid);
    m.set.addAll(base.set);
    m.set.addAll(over.set);
    m.metric.addAll(over.metric.isEmpty() ? base.metric : over.metric);
    m.seeds = over.seeds != null ? over.seeds : base.seeds;
    m.out = over.out != null ? over.out : base.out;
    m.parallel = over.parallel != null ? over.parallel : base.parallel;
    m.dryRun = over.dryRun || base.dryRun;
    return m;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
