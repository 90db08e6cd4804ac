package org.revtrain.trainer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;
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
 * environment sets {@value #DEBUG}=1): bad options, bad input files or directories and any other
 * file-system problem (a path that cannot be created, read or written) exit with {@link
 * ExitCodes#USAGE}, a diverged training with {@link ExitCodes#DIVERGED}, anything else with {@link
 * ExitCodes#FAILURE}.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
  /** Environment variable that adds stack traces of unexpected failures. */
  static final String DEBUG = "REVTRAIN_DEBUG";

  /** What the operating system says for the failures Java reports without a reason. */
  private static final Map<Class<? extends FileSystemException>, String> REASONS =
      Map.of(
          NoSuchFileException.class, "No such file or directory",
          AccessDeniedException.class, "Permission denied",
          NotDirectoryException.class, "Not a directory",
          FileAlreadyExistsException.class, "File exists",
          DirectoryNotEmptyException.class, "Directory not empty");

  /** The option that sets {@code setting}. */
  static String option(UsageException.Setting setting) {
    return switch (setting) {
      case DATA -> "--data";
      case BATCH -> "--batch";
      case DEVICE -> "--device";
      case REFINE_AT -> "--refine-at";
    };
  }

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
    } else if (ex instanceof UsageException u) {
      code = ExitCodes.USAGE;
      message = u.setting().map(s -> option(s) + " " + u.detail()).orElse(u.getMessage());
    } else if (ex instanceof DataException) {
      code = ExitCodes.USAGE;
      message = ex.getMessage();
    } else if (fileSystemCause(ex) != null) {
      code = ExitCodes.USAGE;
      message = describe(fileSystemCause(ex));
    } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      code = ExitCodes.USAGE;
      message = firstLine((ex instanceof UncheckedIOException ? ex.getCause() : ex).getMessage());
    } else {
      code = ExitCodes.FAILURE;
      message =
          "failed: "
              + ex.getClass().getSimpleName()
              + ": "
              + firstLine(ex.getMessage())
              + ("1".equals(System.getenv(DEBUG)) ? "" : " (set " + DEBUG + "=1 for details)");
    }
    err.println(name + ": " + oneLine(message));
    if (code == ExitCodes.FAILURE && "1".equals(System.getenv(DEBUG))) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /**
   * A file-system failure as the operating system's tools say it: the path (and the other path of a
   * move or link) and what is wrong, e.g. {@code /proc/x: No such file or directory}.
   */
  static String describe(FileSystemException e) {
    String paths = e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "");
    String reason = e.getReason() != null ? e.getReason() : REASONS.get(e.getClass());
    return paths + ": " + (reason != null ? reason : "cannot be used");
  }

  /** The file-system failure {@code ex} is or was caused by, or null. */
  private static FileSystemException fileSystemCause(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof FileSystemException f) {
        return f;
      }
    }
    return null;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().split("\\R", 2)[0];
  }
}
