package org.revtrain.trainer.cli;

import java.io.PrintWriter;
import org.revtrain.trainer.TrainingDivergedException;
import org.revtrain.trainer.UsageException;
import org.revtrain.trainer.data.DataException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and an exit code, never a stack trace (unless the
 * environment sets {@value #DEBUG}=1): bad options and bad input files or directories exit with
 * {@link ExitCodes#USAGE}, a diverged training with {@link ExitCodes#DIVERGED}, anything else with
 * {@link ExitCodes#FAILURE}.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
  /** Environment variable that adds stack traces of unexpected failures. */
  static final String DEBUG = "REVTRAIN_DEBUG";

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    cmd.getErr().println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
    cmd.getErr().flush();
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    int code;
    String message;
    if (ex instanceof TrainingDivergedException) {
      code = ExitCodes.DIVERGED;
      message = ex.getMessage();
    } else if (ex instanceof UsageException || ex instanceof DataException) {
      code = ExitCodes.USAGE;
      message = ex.getMessage();
    } else {
      code = ExitCodes.FAILURE;
      message = "failed: " + ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage())
          + ("1".equals(System.getenv(DEBUG)) ? "" : " (set " + DEBUG + "=1 for details)");
    }
    err.println(name + ": " + oneLine(message));
    if (code == ExitCodes.FAILURE && "1".equals(System.getenv(DEBUG))) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().split("\\R", 2)[0];
  }
}
