package org.revtrain.experiments;

import org.revtrain.trainer.cli.RevTrainCli;
import picocli.CommandLine;

/**
 * The {@code revtrain} command of the launcher: the trainer's commands ({@code train}, {@code
 * eval}, {@code export}, {@code models}) plus the experiments' ({@code ablate}, {@code bench},
 * {@code curves}, {@code ode-check}, {@code plan}, {@code sweep}).
 */
public final class Main {
  private Main() {}

  /**
   * The whole command line.
   *
   * @return the {@code revtrain} command with the trainer's and the experiments' subcommands
   */
  public static CommandLine commandLine() {
    return RevTrainCli.commandLine(
        new AblateCommand(),
        new BenchCommand(),
        new CurvesCommand(),
        new OdeCheckCommand(),
        new PlanCommand(),
        new SweepCommand());
  }

  /**
   * Runs the {@code revtrain} command and exits with its exit code (2 for a usage error).
   *
   * @param args the command line's arguments
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
