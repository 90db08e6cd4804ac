package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Failures that reach the top: one line on stderr and the exit code their kind calls for. */
class ErrorHandlerTest {
  private static String[] handle(Exception ex) {
    StringWriter err = new StringWriter();
    CommandLine cmd = RevTrainCli.commandLine().getSubcommands().get("train");
    cmd.setErr(new PrintWriter(err));
    int code = new ErrorHandler().handleExecutionException(ex, cmd, null);
    return new String[] {Integer.toString(code), err.toString()};
  }

  @Test
  void aFileSystemProblemIsBadInputNamingThePath() {
    String[][] cases = {
      handle(new NoSuchFileException("/proc/x/config.json")),
      handle(new UncheckedIOException(new AccessDeniedException("/srv/runs/a"))),
      handle(
          new IOException(
              "writing the checkpoint",
              new FileSystemException("/mnt/ro/x", null, "Read-only file system"))),
      handle(new IOException("No space left on device")),
    };
    String[] expected = {
      "revtrain train: /proc/x/config.json: No such file or directory",
      "revtrain train: /srv/runs/a: Permission denied",
      "revtrain train: /mnt/ro/x: Read-only file system",
      "revtrain train: No space left on device",
    };
    for (int i = 0; i < cases.length; i++) {
      assertEquals("2", cases[i][0], cases[i][1]);
      assertEquals(expected[i] + System.lineSeparator(), cases[i][1]);
    }
  }

  @Test
  void anUnexpectedFailureIsExitOneWithoutAStackTrace() {
    String[] r = handle(new IllegalStateException("broken\nsecond line"));
    assertEquals("1", r[0]);
    assertEquals(
        "revtrain train: failed: IllegalStateException: broken (set REVTRAIN_DEBUG=1 for details)"
            + System.lineSeparator(),
        r[1]);
  }
}
