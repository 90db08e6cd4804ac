package org.revtrain.experiments;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code revtrain bench}: benchmarks whose Markdown reports go to standard output. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks.",
    subcommands = {BenchCommand.Unit.class, BenchCommand.Plan.class})
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code bench unit}: {@link UnitBenchmark}. */
  @Command(
      name = "unit",
      mixinStandardHelpOptions = true,
      description =
          "One Hamiltonian unit, REVERSIBLE vs STORED: allocator peaks at 16 and 256 blocks, graph"
              + " size and first-step cost at 10 and 1000 blocks, step-time ratio at 110 layers.")
  static final class Unit implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--sections",
        split = ",",
        defaultValue = "1,2,3",
        paramLabel = "N",
        description =
            "Sections to run: 1 memory, 2 graph size against depth, 3 time (default:"
                + " ${DEFAULT-VALUE}).")
    List<Integer> sections;

    @Option(
        names = "--batch",
        defaultValue = "32",
        paramLabel = "N",
        converter = OptionConverters.AtLeastOne.class,
        description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
        names = "--repeats",
        paramLabel = "N",
        description = "Timed steps per mode in sections 2 and 3, at least 5 (default: 5 and 7).")
    Integer repeats;

    @Option(
        names = "--max-step-seconds",
        defaultValue = "30",
        paramLabel = "S",
        description =
            "Section 2 lowers the batch when a 1000-block step is estimated above this (default:"
                + " ${DEFAULT-VALUE}).")
    double maxStepSeconds;

    @Override
    public Integer call() {
      for (int n : sections) {
        if (n < 1 || n > 3) {
          throw usage("--sections: the sections are 1, 2 and 3, got " + n);
        }
      }
      if (repeats != null && repeats < 5) {
        throw usage("--repeats must be at least 5, got " + repeats);
      }
      if (!(maxStepSeconds > 0)) {
        throw usage("--max-step-seconds must be positive, got " + maxStepSeconds);
      }
      UnitBenchmark.Options options =
          new UnitBenchmark.Options(
              new LinkedHashSet<>(sections), batch, repeats == null ? 0 : repeats, maxStepSeconds);
      return UnitBenchmark.run(options, System.out);
    }

    private ParameterException usage(String message) {
      return new ParameterException(spec.commandLine(), message);
    }
  }

  /** {@code bench plan}: {@link PlanBenchmark}. */
  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description =
          "The memory model's predicted TF peaks against measured trainer steps, and the planner's"
              + " plans at a tight, a middle and a generous budget; each step in a fresh JVM.")
  static final class Plan implements Callable<Integer> {
    @Option(
        names = "--models",
        split = ",",
        defaultValue = "hamiltonian,revnet,midpoint",
        paramLabel = "FAMILY",
        description = "Model families (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(
        names = "--layers",
        split = ",",
        defaultValue = "38,218",
        paramLabel = "L",
        description = "Depths of the prediction table (default: ${DEFAULT-VALUE}).")
    List<Integer> layers;

    @Option(
        names = "--modes",
        split = ",",
        defaultValue = "stored,reversible,checkpoint:2",
        paramLabel = "MODE",
        description = "Modes of the prediction table (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(
        names = "--batches",
        split = ",",
        defaultValue = "32,64",
        paramLabel = "N",
        description = "Batch sizes of the prediction table (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(
        names = "--plan-layers",
        defaultValue = "218",
        paramLabel = "L",
        converter = OptionConverters.AtLeastOne.class,
        description = "Depth of the planned runs (default: ${DEFAULT-VALUE}).")
    int planLayers;

    @Option(names = "--no-prediction", description = "Skip the prediction table.")
    boolean noPrediction;

    @Option(names = "--no-plans", description = "Skip the planned runs.")
    boolean noPlans;

    @Option(
        names = "--plot",
        paramLabel = "FILE",
        description = "Also plot the planned runs' step time against budget into FILE (a PNG).")
    Path plot;

    @Option(
        names = "--timed-steps",
        defaultValue = "3",
        paramLabel = "N",
        converter = OptionConverters.AtLeastOne.class,
        description =
            "Steps timed after the warm-up one in each JVM; rows give their median (default:"
                + " ${DEFAULT-VALUE}).")
    int timedSteps;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (plot != null && noPlans) {
        throw new ParameterException(
            spec.commandLine(), "--plot plots the planned runs: drop --no-plans");
      }
      return PlanBenchmark.run(
          new PlanBenchmark.Options(
              models,
              layers,
              modes,
              batches,
              planLayers,
              !noPrediction,
              !noPlans,
              plot,
              timedSteps),
          System.out);
    }
  }
}
