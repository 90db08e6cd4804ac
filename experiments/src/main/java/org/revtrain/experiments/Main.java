package org.revtrain.experiments;

import org.revtrain.trainer.cli.RevTrainCli;
import picocli.CommandLine;

/**
 * The {@code revtrain} command of the launcher: the trainer's commands ({@code train}, {@code
 * eval}, {@code export}, {@code models}) plus the experiments' ({@code ablate}, {@code bench}, {@code curves}, {@code ode-check}).
 */
public final class Main {
  private Main() {}

  /** The whole command line. */
  public static CommandLine commandLine() {
    CommandLine cli = RevTrainCli.commandLine();
    cli.addSubcommand("ablate", new AblateCommand());
    cli.addSubcommand("bench", new BenchCommand());
    cli.addSubcommand("curves", new CurvesCommand());
    cli.addSubcommand("ode-check", new OdeCheckCommand());
    cli.addSubcommand("plan", new PlanCommand());
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
