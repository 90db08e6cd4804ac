package org.revtrain.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

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
      description = {
        "One Hamiltonian unit, REVERSIBLE vs STORED: allocator peaks at 16 and 256 blocks, graph size",
        "and first-step cost at 10 and 1000 blocks, step-time ratio at 110 layers.",
        "Options: --sections 1,2,3  --batch N  --repeats N  --max-step-seconds S"
      })
  static final class Unit implements Callable<Integer> {
    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
      return UnitBenchmark.run(args.toArray(new String[0]), System.out);
    }
  }
}
