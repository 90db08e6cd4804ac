package org.revtrain.experiments;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.measure.StepTrace;
import org.tensorflow.TensorFlow;

/**
 * Benchmarks one Hamiltonian unit's training step ({@link UnitStep}: forward sweep + backward pass,
 * float32, no batch normalisation, 8 channels per state tensor, h = 0.1) in REVERSIBLE and STORED
 * gradient mode, and prints a Markdown report:
 *
 * <ol>
 *   <li>memory: the TensorFlow allocator's peak during one step at 16 and 256 blocks;
 *   <li>a depth-independent graph: op count, build time and step times of REVERSIBLE at 10 and 1000
 *       blocks;
 *   <li>time: REVERSIBLE vs STORED at 110 layers (27 blocks), measured interleaved, and the
 *       convolutions each mode runs per block.
 * </ol>
 *
 * <p>Memory needs {@code TF_CPU_ALLOCATOR_USE_BFC=true} in the JVM's environment. Progress goes to
 * standard error, the report to the given stream.
 */
public final class UnitBenchmark {

  private UnitBenchmark() {}

  /**
   * Runs the benchmark and prints the report to {@code out}.
   *
   * @return 0 when every requested measurement was made, 1 when some could not be
   */
  static int run(Options o, PrintStream out) {
    Report r = new Report(out);
    header(r, o);
    boolean ok = true;
    if (o.sections().contains(1)) {
      ok &= memorySection(r, o);
    }
    if (o.sections().contains(2)) {
      ok &= depthSection(r, o);
    }
    if (o.sections().contains(3)) {
      ok &= timeSection(r, o);
    }
    targetSummary(r);
    out.flush();
    return ok ? 0 : 1;
  }

  // ---------------------------------------------------------------- report header

  private static void header(Report r, Options o) {
    Runtime rt = Runtime.getRuntime();
    r.line("# Hamiltonian unit benchmark: REVERSIBLE vs STORED");
    r.line();
    r.line("## Machine");
    r.line();
    r.line("| fact | value |");
    r.line("|---|---|");
    r.line("| date | " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME) + " |");
    r.line("| available processors | " + rt.availableProcessors() + " |");
    r.line("| max heap | " + mib(rt.maxMemory()) + " MiB |");
    r.line(
        "| java | "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch")
            + ") |");
    r.line("| TensorFlow | " + TensorFlow.version() + " |");
    r.line(
        "| "
            + StepTrace.BFC_VARIABLE
            + " | "
            + orUnset(System.getenv(StepTrace.BFC_VARIABLE))
            + " |");
    r.line("| load average at start (1, 5, 15 min) | " + loadAverage() + " |");
    r.line(
        "| JVM arguments | "
            + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
            + " |");
    r.line();
    r.line("## Setup");
    r.line();
    r.line(
        "One training step of a single unit of Hamiltonian blocks (no batch normalisation),"
            + " float32, input state 2 × ["
            + o.batch()
            + ", "
            + UnitStep.SIZE
            + ", "
            + UnitStep.SIZE
            + ", "
            + UnitStep.CHANNELS
            + "] (16 feature channels, "
            + UnitStep.CHANNELS
            + " per state tensor), h = "
            + UnitStep.STEP_SIZE
            + ". A step is the forward sweep plus the backward pass against an upstream gradient of"
            + " ones; it fetches the input gradients and every parameter gradient in one"
            + " `Session.run`. Sessions use intra_op_parallelism_threads ="
            + " inter_op_parallelism_threads = "
            + UnitStep.THREADS
            + ". Inputs are graph constants (random normal, seed 1).");
    r.line();
  }

  // ---------------------------------------------------------------- section 1: memory

  private static boolean memorySection(Report r, Options o) {
    r.line("## 1. Memory: allocator peak of one training step");
    r.line();
    r.line(
        "TensorFlow allocator peak (`AllocatorMemoryUsed.allocator_bytes_in_use`, maximum over all"
            + " nodes) from a FULL_TRACE of the **second** run of the step (the first includes"
            + " Grappler's warm-up). Batch "
            + o.batch()
            + ".");
    r.line();
    if (!"true".equalsIgnoreCase(System.getenv(StepTrace.BFC_VARIABLE))) {
      r.line(
          "**Not measured:** start the JVM with `"
              + StepTrace.BFC_VARIABLE
              + "=true` in its environment; TensorFlow's default CPU allocator keeps no totals.");
      r.line();
      return false;
    }
    r.line(
        "The 2nd run's peak is the measurement (and the ratios' basis); runs 3 and 4 are traced as"
            + " well to show the run-to-run spread, which comes from the order in which the 2"
            + " inter-op threads happen to run ready nodes.");
    r.line();
    r.line(
        "| mode | blocks | graph ops | build (s) | 1st run (s) | 2nd run, traced (s) | peak, 2nd"
            + " run (bytes) | peak, 2nd run (MiB) | peaks, runs 2-4 (MiB) | conv kernels / block"
            + " |");
    r.line("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|");
    long[][] peaks = new long[2][2];
    double[][] medians = new double[2][2];
    GradientMode[] modes = {GradientMode.reversible(), GradientMode.stored()};
    int[] depths = {16, 256};
    boolean ok = true;
    for (int m = 0; m < modes.length; m++) {
      for (int d = 0; d < depths.length; d++) {
        progress("memory: " + modes[m] + " " + depths[d] + " blocks ...");
        try (UnitStep g = new UnitStep(modes[m], depths[d], o.batch())) {
          double first = g.timedStep();
          long t0 = System.nanoTime();
          StepTrace trace = g.tracedStep();
          double second = seconds(System.nanoTime() - t0);
          peaks[m][d] = trace.allocatorPeakBytes();
          double[] spread = new double[3];
          spread[0] = peaks[m][d];
          for (int k = 1; k < spread.length; k++) {
            spread[k] = g.tracedStep().allocatorPeakBytes();
          }
          medians[m][d] = median(spread);
          StringBuilder runs = new StringBuilder();
          for (double b : spread) {
            runs.append(runs.length() == 0 ? "" : ", ").append(f1(b / 1048576.0));
          }
          r.line(
              "| "
                  + modes[m]
                  + " | "
                  + depths[d]
                  + " | "
                  + g.opCount
                  + " | "
                  + f3(g.buildSeconds)
                  + " | "
                  + f3(first)
                  + " | "
                  + f3(second)
                  + " | "
                  + peaks[m][d]
                  + " | "
                  + f1(peaks[m][d] / 1048576.0)
                  + " | "
                  + runs
                  + " | "
                  + f2(trace.convolutions() / (double) depths[d])
                  + " |");
        } catch (RuntimeException e) {
          ok = false;
          r.line(
              "| "
                  + modes[m]
                  + " | "
                  + depths[d]
                  + " | failed: "
                  + oneLine(e)
                  + " | | | | | | | |");
        }
        r.flush();
      }
    }
    r.line();
    if (ok) {
      double rev = peaks[0][1] / (double) peaks[0][0];
      double stored = peaks[1][1] / (double) peaks[1][0];
      double revMedian = medians[0][1] / medians[0][0];
      double storedMedian = medians[1][1] / medians[1][0];
      Target.record("memory REVERSIBLE(256)/REVERSIBLE(16) ≤ 1.1", rev, rev <= 1.1);
      Target.record("memory STORED(256)/STORED(16) ≥ 8", stored, stored >= 8);
      r.line("| ratio | 2nd run | median of runs 2-4 | target | met (2nd run) |");
      r.line("|---|---:|---:|---|---|");
      r.line(
          "| REVERSIBLE(256) / REVERSIBLE(16) | "
              + f3(rev)
              + " | "
              + f3(revMedian)
              + " | ≤ 1.1 | "
              + yes(rev <= 1.1)
              + " |");
      r.line(
          "| STORED(256) / STORED(16) | "
              + f3(stored)
              + " | "
              + f3(storedMedian)
              + " | ≥ 8 | "
              + yes(stored >= 8)
              + " |");
      r.line(
          "| STORED(256) / REVERSIBLE(256) | "
              + f3(peaks[1][1] / (double) peaks[0][1])
              + " | "
              + f3(medians[1][1] / medians[0][1])
              + " | (information) | |");
      r.line(
          "| REVERSIBLE(256) − REVERSIBLE(16), MiB | "
              + f2((peaks[0][1] - peaks[0][0]) / 1048576.0)
              + " | "
              + f2((medians[0][1] - medians[0][0]) / 1048576.0)
              + " | (information) | |");
      r.line();
      // A Hamiltonian block's parameters: K1, K2 [3, 3, C, C] and b1, b2 [C], float32.
      long paramBytes =
          4L * (2 * 9 * UnitStep.CHANNELS * UnitStep.CHANNELS + 2 * UnitStep.CHANNELS);
      r.line(
          "For scale: one state tensor is "
              + f2(4.0 * o.batch() * UnitStep.SIZE * UnitStep.SIZE * UnitStep.CHANNELS / 1048576.0)
              + " MiB; the parameters of one block take "
              + paramBytes
              + " B, so 240 more blocks add "
              + f2(240.0 * paramBytes / 1048576.0)
              + " MiB per copy of the parameters (weights, their per-block gradients in the"
              + " backward loop's TensorLists, the stacked gradients).");
      r.line();
    }
    return ok;
  }

  // ---------------------------------------------------------------- section 2: depth-free graph

  private static boolean depthSection(Report r, Options o) {
    int repeats = o.repeats() > 0 ? o.repeats() : 5;
    r.line("## 2. Depth-independent graph: REVERSIBLE at 10 and 1000 blocks");
    r.line();
    r.line(
        "Graph ops counted with `graph.operations()` (functions of the loop bodies not included);"
            + " build time = `System.nanoTime()` around building the unit, its forward sweep and"
            + " its backward pass; the 1st step includes Grappler's optimisation and executor"
            + " creation; 'later' is the median of the next "
            + repeats
            + " steps.");
    r.line();
    List<String[]> rows = new ArrayList<>();
    boolean ok = true;
    DepthRow small;
    try {
      small = depthRow(10, o.batch(), repeats);
    } catch (RuntimeException e) {
      r.line("REVERSIBLE at 10 blocks failed: " + oneLine(e));
      r.line();
      return false;
    }
    rows.add(small.cells());
    double estimate = small.later * 100;
    int batch = o.batch();
    while (batch > 1 && estimate * batch / o.batch() > o.maxStepSeconds()) {
      batch /= 2;
    }
    DepthRow smallAtBatch = small;
    if (batch != o.batch()) {
      try {
        smallAtBatch = depthRow(10, batch, repeats);
        rows.add(smallAtBatch.cells());
      } catch (RuntimeException e) {
        ok = false;
        rows.add(new String[] {"10", String.valueOf(batch), "failed: " + oneLine(e)});
      }
    }
    DepthRow large = null;
    try {
      large = depthRow(1000, batch, repeats);
      rows.add(large.cells());
    } catch (RuntimeException e) {
      ok = false;
      rows.add(new String[] {"1000", String.valueOf(batch), "failed: " + oneLine(e)});
    }
    if (batch != o.batch()) {
      r.line(
          "**Batch lowered for 1000 blocks:** at batch "
              + o.batch()
              + " a 10-block step took "
              + f3(small.later)
              + " s, so a 1000-block step would take about "
              + f1(estimate)
              + " s (> "
              + f1(o.maxStepSeconds())
              + " s); 1000 blocks were measured at batch "
              + batch
              + ", and 10 blocks at both batches for comparison.");
      r.line();
    }
    r.line(
        "| blocks | batch | graph ops | build (s) | 1st step (s) | later steps, median (s) | later"
            + " steps, all (s) | 1st / later |");
    r.line("|---:|---:|---:|---:|---:|---:|---|---:|");
    for (String[] row : rows) {
      r.line("| " + String.join(" | ", pad(row, 8)) + " |");
    }
    r.line();
    if (large != null && smallAtBatch != null) {
      boolean sameOps = large.ops == smallAtBatch.ops;
      double ratio = large.first / large.later;
      double smallRatio = smallAtBatch.first / smallAtBatch.later;
      Target.record(
          "graph ops equal at 10 and 1000 blocks (ops at 1000 − ops at 10)",
          large.ops - smallAtBatch.ops,
          sameOps);
      Target.record(
          "first/later step at 1000 blocks ≤ 1.5 (batch " + large.batch + ")", ratio, ratio <= 1.5);
      Target.record(
          "first/later step at 10 blocks ≤ 1.5 (batch " + smallAtBatch.batch + ")",
          smallRatio,
          smallRatio <= 1.5);
      if (smallAtBatch != small) {
        double r32 = small.first / small.later;
        Target.record(
            "first/later step at 10 blocks ≤ 1.5 (batch " + small.batch + ")", r32, r32 <= 1.5);
      }
      r.line("| check | value | target | met |");
      r.line("|---|---:|---|---|");
      r.line(
          "| graph ops 1000 blocks − 10 blocks | "
              + (large.ops - smallAtBatch.ops)
              + " | 0 | "
              + yes(sameOps)
              + " |");
      r.line(
          "| build time 1000 / 10 blocks | "
              + f2(large.build / smallAtBatch.build)
              + " | (information) | |");
      r.line(
          "| 1st / later step, 1000 blocks | "
              + f3(ratio)
              + " | ≤ 1.5 | "
              + yes(ratio <= 1.5)
              + " |");
      r.line(
          "| 1st / later step, 10 blocks (batch "
              + smallAtBatch.batch
              + ") | "
              + f3(smallRatio)
              + " | ≤ 1.5 | "
              + yes(smallRatio <= 1.5)
              + " |");
      r.line(
          "| later step 1000 / 10 blocks | "
              + f1(large.later / smallAtBatch.later)
              + " | (≈ 100 if time is linear in depth) | |");
      r.line(
          "| 1st-step overhead (1st − later), 10 / 1000 blocks | "
              + f3(smallAtBatch.first - smallAtBatch.later)
              + " s / "
              + f3(large.first - large.later)
              + " s | (information) | |");
      r.line();
    }
    return ok;
  }

  private record DepthRow(
      int blocks, int batch, int ops, double build, double first, double later, double[] all) {
    String[] cells() {
      StringBuilder s = new StringBuilder();
      for (double t : all) {
        s.append(s.length() == 0 ? "" : ", ").append(f3(t));
      }
      return new String[] {
        String.valueOf(blocks),
        String.valueOf(batch),
        String.valueOf(ops),
        f3(build),
        f3(first),
        f3(later),
        s.toString(),
        f3(first / later)
      };
    }
  }

  private static DepthRow depthRow(int blocks, int batch, int repeats) {
    progress("depth: reversible " + blocks + " blocks, batch " + batch + " ...");
    try (UnitStep g = new UnitStep(GradientMode.reversible(), blocks, batch)) {
      double first = g.timedStep();
      double[] later = new double[repeats];
      for (int i = 0; i < repeats; i++) {
        later[i] = g.timedStep();
      }
      return new DepthRow(blocks, batch, g.opCount, g.buildSeconds, first, median(later), later);
    }
  }

  // ---------------------------------------------------------------- section 3: time at 110 layers

  private static boolean timeSection(Report r, Options o) {
    int blocks = 27;
    int repeats = o.repeats() > 0 ? o.repeats() : 7;
    r.line("## 3. Time at 110 layers (27 blocks): REVERSIBLE vs STORED");
    r.line();
    r.line(
        "110 = 4·27 + 2 layers, i.e. 27 Hamiltonian blocks, batch "
            + o.batch()
            + ". Both step graphs and sessions are built first; then 2 warm-up steps each, then "
            + repeats
            + " timed steps each, interleaved (one REVERSIBLE step, one STORED step, ...)."
            + " Convolution kernels per block come from one extra traced step of each mode.");
    r.line();
    progress("time: building reversible and stored, 27 blocks ...");
    try (UnitStep rev = new UnitStep(GradientMode.reversible(), blocks, o.batch());
        UnitStep stored = new UnitStep(GradientMode.stored(), blocks, o.batch())) {
      double[] warmRev = new double[2];
      double[] warmStored = new double[2];
      for (int i = 0; i < 2; i++) {
        warmRev[i] = rev.timedStep();
        warmStored[i] = stored.timedStep();
      }
      double[] tRev = new double[repeats];
      double[] tStored = new double[repeats];
      for (int i = 0; i < repeats; i++) {
        progress("time: step " + (i + 1) + "/" + repeats);
        tRev[i] = rev.timedStep();
        tStored[i] = stored.timedStep();
      }
      StepTrace traceRev = rev.tracedStep();
      StepTrace traceStored = stored.tracedStep();
      double mRev = median(tRev);
      double mStored = median(tStored);
      double ratio = mRev / mStored;
      Target.record("time REVERSIBLE/STORED at 27 blocks ≤ 1.4", ratio, ratio <= 1.4);
      r.line(
          "| mode | graph ops | build (s) | warm-up steps (s) | timed steps (s) | median (s) | conv"
              + " kernels | conv kernels / block | conv kernels by type |");
      r.line("|---|---:|---:|---|---|---:|---:|---:|---|");
      r.line(timeRow(rev, warmRev, tRev, traceRev, blocks));
      r.line(timeRow(stored, warmStored, tStored, traceStored, blocks));
      r.line();
      r.line("| ratio | value | target | met |");
      r.line("|---|---:|---|---|");
      r.line(
          "| REVERSIBLE / STORED step time (medians) | "
              + f3(ratio)
              + " | ≤ 1.4 | "
              + yes(ratio <= 1.4)
              + " |");
      r.line(
          "| REVERSIBLE / STORED conv kernels | "
              + f3(traceRev.convolutions() / (double) traceStored.convolutions())
              + " | (information) | |");
      r.line();
      return true;
    } catch (RuntimeException e) {
      r.line("Failed: " + oneLine(e));
      r.line();
      return false;
    }
  }

  private static String timeRow(
      UnitStep g, double[] warm, double[] timed, StepTrace trace, int blocks) {
    StringBuilder byType = new StringBuilder();
    trace
        .convolutionKernels()
        .forEach(
            (k, n) ->
                byType.append(byType.length() == 0 ? "" : ", ").append(k).append(" ").append(n));
    return "| "
        + g.mode
        + " | "
        + g.opCount
        + " | "
        + f3(g.buildSeconds)
        + " | "
        + list(warm)
        + " | "
        + list(timed)
        + " | "
        + f3(median(timed))
        + " | "
        + trace.convolutions()
        + " | "
        + f2(trace.convolutions() / (double) blocks)
        + " | "
        + byType
        + " |";
  }

  // ---------------------------------------------------------------- targets

  private static void targetSummary(Report r) {
    r.line("Load average at the end (1, 5, 15 min): " + loadAverage() + ".");
    r.line();
    if (Target.ALL.isEmpty()) {
      return;
    }
    r.line("## Targets");
    r.line();
    r.line("| target | measured | met |");
    r.line("|---|---:|---|");
    for (Target t : Target.ALL) {
      String v = t.value == Math.rint(t.value) ? String.valueOf((long) t.value) : f3(t.value);
      r.line("| " + t.name + " | " + v + " | " + yes(t.met) + " |");
    }
    r.line();
    Target.ALL.clear();
  }

  private record Target(String name, double value, boolean met) {
    static final List<Target> ALL = new ArrayList<>();

    static void record(String name, double value, boolean met) {
      ALL.add(new Target(name, value, met));
    }
  }

  // ---------------------------------------------------------------- one step's graph and session

  // ---------------------------------------------------------------- options and formatting

  /**
   * What to run.
   *
   * @param sections which of sections 1, 2 and 3 to run
   * @param batch the batch size
   * @param repeats timed steps per mode in sections 2 and 3; 0 for their defaults, 5 and 7
   * @param maxStepSeconds section 2 lowers the batch when a 1000-block step is estimated above this
   */
  record Options(Set<Integer> sections, int batch, int repeats, double maxStepSeconds) {}

  /** The report, flushed section by section so that a long run shows progress. */
  private static final class Report {
    private final PrintStream out;

    Report(PrintStream out) {
      this.out = out;
    }

    void line(String s) {
      out.println(s);
    }

    void line() {
      out.println();
    }

    void flush() {
      out.flush();
    }
  }

  private static String orUnset(String s) {
    return s == null || s.isEmpty() ? "(unset)" : s;
  }

  /** The first three fields of /proc/loadavg, or "n/a" where there is none. */
  private static String loadAverage() {
    try {
      String[] f =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
              .trim()
              .split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static void progress(String s) {
    System.err.println("[UnitBenchmark] " + s);
  }

  private static double median(double[] values) {
    return new Median().evaluate(values);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static long mib(long bytes) {
    return bytes / (1024 * 1024);
  }

  private static String list(double[] v) {
    StringBuilder s = new StringBuilder();
    for (double t : v) {
      s.append(s.length() == 0 ? "" : ", ").append(f3(t));
    }
    return s.toString();
  }

  private static String[] pad(String[] row, int n) {
    String[] out = Arrays.copyOf(row, n);
    for (int i = 0; i < n; i++) {
      if (out[i] == null) {
        out[i] = "";
      }
    }
    return out;
  }

  private static String oneLine(Throwable e) {
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    return m.replace('\n', ' ').replace('|', '/');
  }

  private static String yes(boolean b) {
    return b ? "yes" : "**NO**";
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
