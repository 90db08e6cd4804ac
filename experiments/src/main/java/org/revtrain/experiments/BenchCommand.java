package org.revtrain.experiments;

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
    subcommands = {BenchCommand.Unit.class})
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
          "One Hamiltonian unit, REVERSIBLE vs STORED: allocator peaks at 16 and 256 blocks, graph size"
              + " and first-step cost at 10 and 1000 blocks, step-time ratio at 110 layers.")
  static final class Unit implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--sections", split = ",", defaultValue = "1,2,3", paramLabel = "N",
        description = "Sections to run: 1 memory, 2 graph size against depth, 3 time (default: ${DEFAULT-VALUE}).")
    List<Integer> sections;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", converter = OptionConverters.AtLeastOne.class,
        description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--repeats", paramLabel = "N",
        description = "Timed steps per mode in sections 2 and 3, at least 5 (default: 5 and 7).")
    Integer repeats;

    @Option(names = "--max-step-seconds", defaultValue = "30", paramLabel = "S",
        description = "Section 2 lowers the batch when a 1000-block step is estimated above this (default: ${DEFAULT-VALUE}).")
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
}
