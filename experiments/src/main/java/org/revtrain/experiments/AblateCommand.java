package org.revtrain.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.revtrain.trainer.Precision;
import org.revtrain.trainer.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code revtrain ablate}: the measurements behind RevTrain's memory claim. */
@Command(
    name = "ablate",
    description =
        "Ablations: memory versus depth, the deepest trainable network, gradient fidelity.",
    mixinStandardHelpOptions = true,
    subcommands = {
      AblateCommand.Memory.class,
      AblateCommand.MaxDepth.class,
      GradientFidelity.class
    })
public final class AblateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code ablate memory}: one fresh JVM per configuration. */
  @Command(
      name = "memory",
      mixinStandardHelpOptions = true,
      description = "Peak memory and step time against depth, each configuration in a fresh JVM.")
  static final class Memory implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--models",
        split = ",",
        defaultValue = "hamiltonian,midpoint,leapfrog,revnet",
        paramLabel = "FAMILY",
        description = "Block families, e.g. hamiltonian,revnet,resnet (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(
        names = "--layers",
        split = ",",
        defaultValue = "38,110,218,1202",
        paramLabel = "L",
        description = "Depths in layers (default: ${DEFAULT-VALUE}).")
    List<Integer> layers;

    @Option(
        names = "--modes",
        split = ",",
        defaultValue = "stored,reversible",
        paramLabel = "MODE",
        description = "stored, reversible, checkpoint:K (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(
        names = "--state-dtype",
        defaultValue = "float64",
        paramLabel = "DTYPE",
        description =
            "Type the reversible units carry their state in: float32 or float64, the models'"
                + " default (default: ${DEFAULT-VALUE}).")
    String stateDtype;

    @Option(
        names = "--dtypes",
        split = ",",
        defaultValue = "float32",
        paramLabel = "DTYPE",
        description =
            "Precisions: float32, or bfloat16 (the reversible units' convolutions and batch norm"
                + " in bfloat16 on float32 weights); each is a row of its own (default:"
                + " ${DEFAULT-VALUE}).")
    List<String> dtypes;

    @Option(
        names = "--batch",
        defaultValue = "32",
        paramLabel = "N",
        converter = OptionConverters.AtLeastOne.class,
        description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
        names = "--image",
        defaultValue = "32",
        paramLabel = "PX",
        converter = OptionConverters.AtLeastOne.class,
        description = "Image side, 3 channels (default: ${DEFAULT-VALUE}).")
    int image;

    @Option(
        names = "--steps",
        defaultValue = "5",
        paramLabel = "N",
        converter = OptionConverters.AtLeastOne.class,
        description =
            "Timed steps per configuration, after one warm-up step (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
        names = "--memory-cap",
        defaultValue = "16g",
        paramLabel = "SIZE",
        converter = OptionConverters.ByteSize.class,
        description =
            "Memory cap of each configuration's JVM, e.g. 8g; beyond it the row says oom (default:"
                + " ${DEFAULT-VALUE}).")
    long capBytes;

    @Option(
        names = "--timeout-minutes",
        defaultValue = "30",
        paramLabel = "MIN",
        converter = OptionConverters.AtLeastOne.class,
        description =
            "Per configuration; beyond it the row says timeout (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Option(
        names = "--out",
        defaultValue = "runs/ablate-memory",
        paramLabel = "DIR",
        description = "Where memory.csv, memory.md and memory.png go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
      PrintWriter w = spec.commandLine().getOut();
      ModelFamilies.check(
          new ModelFamilies.Flags("--models", "--modes", "--state-dtype"),
          models,
          layers,
          modes,
          List.of(stateDtype));
      for (String d : dtypes) {
        Precision p = parseDtype(d);
        for (String m : models) {
          if (p != Precision.FLOAT32 && !ModelFamilies.at(m, layers.get(0)).kind().reversible()) {
            throw new UsageException(
                "--dtypes "
                    + d
                    + ": "
                    + m
                    + " blocks are not reversible; mixed precision is for"
                    + " reversible kinds");
          }
        }
      }
      ProbeRunner runner = new ProbeRunner(capBytes, 60L * timeoutMinutes);
      List<ProbeResult> rows = new ArrayList<>();
      int total = models.size() * layers.size() * modes.size() * dtypes.size();
      for (String m : models) {
        for (int l : layers) {
          for (String mode : modes) {
            for (String d : dtypes) {
              ProbeResult r = runner.run(m, l, mode, stateDtype, d, batch, image, steps);
              rows.add(r);
              w.printf(
                  Locale.ROOT,
                  "[%d/%d] %-12s %-14s %-8s %5d layers: %s%n",
                  rows.size(),
                  total,
                  m,
                  mode,
                  d,
                  l,
                  r.ok()
                      ? String.format(
                          Locale.ROOT,
                          "peak %.1f MiB, step %.3f s, %d ops",
                          r.tf_peak_bytes() / 1048576.0,
                          r.step_seconds_median(),
                          r.graph_ops())
                      : r.status());
              w.flush();
              MemoryReport.write(out, rows); // a partial sweep is never lost
            }
          }
        }
      }
      w.println("wrote " + out.resolve("memory.csv") + ", memory.md, memory.png");
      return 0;
    }
  }

  /** float32 or bfloat16, the precisions a float32 network's ablation can run in. */
  private static Precision parseDtype(String text) {
    try {
      Precision p = Precision.parse(text);
      if (p == Precision.FLOAT64) {
        throw new IllegalArgumentException("expected float32 or bfloat16, got float64");
      }
      return p;
    } catch (IllegalArgumentException e) {
      throw new UsageException("--dtypes " + text + ": " + e.getMessage());
    }
  }

  /** {@code ablate max-depth}: doubling, then bisection, on blocks per unit. */
  @Command(
      name = "max-depth",
      mixinStandardHelpOptions = true,
      description = {
        "The deepest network that trains one step under the memory cap (doubling, then bisection).",
        "A depth fits when one untraced step runs; its TF peak comes from a traced step after it,"
            + " when the trace fits too."
      })
  static final class MaxDepth implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--model",
        defaultValue = "hamiltonian",
        paramLabel = "FAMILY",
        description = "Block family (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(
        names = "--mode",
        defaultValue = "reversible",
        paramLabel = "MODE",
        description = "reversible, stored or checkpoint:K (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
        names = "--memory-cap",
        defaultValue = "8g",
        paramLabel = "SIZE",
        converter = OptionConverters.ByteSize.class,
        description =
            "Memory cap of each probe's JVM, e.g. 8g or 800m (default: ${DEFAULT-VALUE}).")
    long capBytes;

    @Option(
        names = "--state-dtype",
        defaultValue = "float64",
        paramLabel = "DTYPE",
        description =
            "Type the reversible units carry their state in: float32 or float64 (default:"
                + " ${DEFAULT-VALUE}).")
    String stateDtype;

    @Option(
        names = "--batch",
        defaultValue = "32",
        paramLabel = "N",
        converter = OptionConverters.AtLeastOne.class,
        description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
        names = "--image",
        defaultValue = "32",
        paramLabel = "PX",
        converter = OptionConverters.AtLeastOne.class,
        description = "Image side, 3 channels (default: ${DEFAULT-VALUE}).")
    int image;

    @Option(
        names = "--timeout-minutes",
        defaultValue = "30",
        paramLabel = "MIN",
        converter = OptionConverters.AtLeastOne.class,
        description = "Per probe (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Override
    public Integer call() {
      PrintWriter w = spec.commandLine().getOut();
      ModelFamilies.check(
          new ModelFamilies.Flags("--model", "--mode", "--state-dtype"),
          List.of(model),
          List.of(),
          List.of(mode),
          List.of(stateDtype));
      ProbeRunner runner = new ProbeRunner(capBytes, 60L * timeoutMinutes);
      int good = 0;
      ProbeResult best = null;
      int n = 1;
      int bad = -1;
      while (bad < 0) {
        ProbeResult r = probe(runner, w, n);
        if (r.ok()) {
          good = n;
          best = r;
          n *= 2;
        } else {
          bad = n;
        }
      }
      while (bad - good > 1) {
        int mid = (good + bad) / 2;
        ProbeResult r = probe(runner, w, mid);
        if (r.ok()) {
          good = mid;
          best = r;
        } else {
          bad = mid;
        }
      }
      String cap = OptionConverters.ByteSize.format(capBytes);
      if (best == null) {
        w.println("no " + model + " network trains one step in " + mode + " mode under " + cap);
        return 1;
      }
      w.printf(
          Locale.ROOT,
          "deepest %s %s under %s: %d layers (%d blocks per unit), %s, RSS peak %.1f MiB%n",
          model,
          mode,
          cap,
          best.layers(),
          good,
          peak(best),
          best.rss_peak_bytes() / 1048576.0);
      return 0;
    }

    private ProbeResult probe(ProbeRunner runner, PrintWriter w, int blocksPerUnit) {
      int layers = ModelFamilies.layers(model, blocksPerUnit);
      ProbeResult r = runner.run(model, layers, mode, stateDtype, "float32", batch, image, 0);
      w.printf(
          Locale.ROOT,
          "  %6d layers: %s%n",
          layers,
          r.ok()
              ? String.format(
                  Locale.ROOT, "ok, %s, RSS %.0f MiB", peak(r), r.rss_peak_bytes() / 1048576.0)
              : r.status());
      w.flush();
      return r;
    }

    /** The TF peak, or why there is none: a step fits when it runs untraced. */
    private static String peak(ProbeResult r) {
      return r.tf_peak_bytes() < 0
          ? "TF peak not measured (the traced step did not fit; the untraced one did)"
          : String.format(Locale.ROOT, "TF peak %.1f MiB", r.tf_peak_bytes() / 1048576.0);
    }
  }
}
