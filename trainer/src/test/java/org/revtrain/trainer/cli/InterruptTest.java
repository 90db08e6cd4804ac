package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.trainer.Checkpoint;
import org.revtrain.trainer.Checkpoints;

/**
 * Ctrl-C (SIGINT) and SIGTERM write a checkpoint and exit with 130 and 143: a real JVM, a real
 * signal.
 */
@DisabledOnOs(OS.WINDOWS)
class InterruptTest {
  @TempDir Path dir;

  @Test
  void ctrlCWritesACheckpointAndExits130() throws Exception {
    stopsAfterACheckpoint("-INT", ExitCodes.INTERRUPTED);
  }

  @Test
  void sigtermWritesACheckpointAndExits143() throws Exception {
    stopsAfterACheckpoint("-TERM", ExitCodes.TERMINATED);
  }

  private void stopsAfterACheckpoint(String signal, int exitCode) throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    Path run = dir.resolve("run");
    List<String> command =
        Cli.inNewJvm(List.of(), Cli.tinyTraining(data, 1000000, run, "--checkpoint-every", "5"));
    File log = dir.resolve("stderr.txt").toFile();
    Process p =
        new ProcessBuilder(command)
            .redirectError(log)
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .start();
    try {
      Path latest = run.resolve(Checkpoints.DIRECTORY).resolve(Checkpoints.LATEST);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.exists(latest) && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(latest), "training started: " + Files.readString(log.toPath()));
      long before = Checkpoints.locate(run).state().step();
      new ProcessBuilder("kill", signal, Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits after the signal");
      String err = Files.readString(log.toPath());
      assertEquals(exitCode, p.exitValue(), err);
      assertTrue(err.contains("revtrain train: stopped at step"), err);
      Checkpoint last = Checkpoints.locate(run);
      assertTrue(last.state().step() >= before, "a checkpoint at the stop: " + last.directory());
      assertTrue(err.contains(last.directory().toString()), err);
    } finally {
      p.destroyForcibly();
    }
  }
}
