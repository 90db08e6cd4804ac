package org.revtrain.trainer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code revtrain} command: {@code train}, {@code eval}, {@code export} and {@code models}.
 *
 * <p>Commands return exit codes ({@link ExitCodes}) and never call {@link System#exit}; only {@link
 * #main} does. Every failure is one line on stderr: bad options and bad input files exit with 2, a
 * diverged training with 3, a training stopped by Ctrl-C with 130.
 */
@Command(
    name = "revtrain",
    mixinStandardHelpOptions = true,
    version = "revtrain 0.1.0",
    description = "Trains very deep reversible residual networks with memory independent of depth.",
    footer = {
      "Environment: TF_CPP_MIN_LOG_LEVEL=0 (or 1) shows TensorFlow's own info (and warning) lines,"
          + " which the launcher's default, 2, leaves out; REVTRAIN_DEBUG=1 adds stack traces to"
          + " unexpected failures."
    },
    subcommands = {TrainCommand.class, EvalCommand.class, ExportCommand.class, ModelsCommand.class})
public final class RevTrainCli implements Callable<Integer> {
  @Spec CommandSpec spec;

  private RevTrainCli() {}

  /**
   * The root command with its subcommands, {@code more} after them, {@code help} last, and the
   * one-line error handling; run it with {@link CommandLine#execute}.
   *
   * @param more further subcommands: objects of {@link Command}-annotated classes
   */
  public static CommandLine commandLine(Object... more) {
    ErrorHandler errors = new ErrorHandler();
    CommandLine cli = new CommandLine(new RevTrainCli());
    for (Object command : more) {
      cli.addSubcommand(command);
    }
    return cli.addSubcommand(new HelpCommand())
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
  }

  /** Prints the usage. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  /** Runs {@code revtrain} and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
