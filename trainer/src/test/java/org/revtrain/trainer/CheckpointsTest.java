package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.trainer.data.Standardization;

/** Checkpoints are written atomically: a crash while writing leaves the previous one readable. */
class CheckpointsTest {
  @TempDir Path run;

  private static CheckpointState state(long step) {
    return new CheckpointState(
        step, 8, step * 0.5, -1, new ImageShape(32, 32, 3, 10),
        new Standardization(new float[] {0.1f, 0.2f, 0.3f}, new float[] {1f, 2f, 3f}),
        TinyRuns.config(40).build());
  }

  /** Stands in for Session.save: writes the two files a TensorFlow checkpoint has. */
  private static void fakeSave(Path prefix) {
    try {
      Files.writeString(prefix.resolveSibling(prefix.getFileName() + ".index"), "index");
      Files.writeString(prefix.resolveSibling(prefix.getFileName() + ".data-00000-of-00001"), "data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> s = Files.list(run.resolve(Checkpoints.DIRECTORY))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aCrashWhileSavingLeavesThePreviousCheckpointLatest() throws IOException {
    Checkpoints c = Checkpoints.of(run);
    c.write(state(10), CheckpointsTest::fakeSave);
    assertThrows(
        IllegalStateException.class,
        () ->
            c.write(
                state(20),
                prefix -> {
                  fakeSave(prefix);
                  throw new IllegalStateException("disk full");
                }));
    assertEquals(10, c.latest().orElseThrow().state().step());
    assertEquals(List.of(Checkpoints.LATEST, "step-00000010"), entries(), "no trace of the failed write");
  }

  @Test
  void strayTemporariesAndIncompleteDirectoriesAreIgnored() throws IOException {
    Checkpoints c = Checkpoints.of(run);
    c.write(state(10), CheckpointsTest::fakeSave);
    Path dir = c.directory();
    // A process killed mid-write leaves its temporary directory, and maybe a step directory without
    // checkpoint.json; an editor may even point latest at something absent.
    Path stray = Files.createDirectories(dir.resolve(".tmp-step-00000030-12345"));
    fakeSave(stray.resolve(Checkpoint.VARIABLES));
    Files.writeString(stray.resolve(Checkpoints.STATE), "{\"format\": 1, \"step\": 3");
    fakeSave(Files.createDirectories(dir.resolve("step-00000040")).resolve(Checkpoint.VARIABLES));
    assertEquals(10, c.latest().orElseThrow().state().step());
    assertEquals(10, Checkpoints.locate(run, "--resume").state().step());

    Files.writeString(dir.resolve(Checkpoints.LATEST), "step-00000099\n");
    assertEquals(10, c.latest().orElseThrow().state().step(), "falls back to the highest complete one");

    Checkpoint next = c.write(state(40), CheckpointsTest::fakeSave);
    assertEquals(40, c.latest().orElseThrow().state().step());
    assertTrue(Files.isRegularFile(next.directory().resolve(Checkpoints.STATE)));
  }

  @Test
  void theNewestThreeAreKeptAndStateRoundTrips() throws IOException {
    Checkpoints c = Checkpoints.of(run);
    for (long s = 5; s <= 25; s += 5) {
      c.write(state(s), CheckpointsTest::fakeSave);
    }
    assertEquals(List.of(Checkpoints.LATEST, "step-00000015", "step-00000020", "step-00000025"), entries());
    CheckpointState read = c.latest().orElseThrow().state();
    assertEquals(25, read.step());
    assertEquals(12.5, read.seconds());
    assertEquals(state(25).config(), read.config());
    assertEquals(3f, read.standardization().std()[2]);
    assertFalse(Files.exists(c.directory().resolve("step-00000005")));
  }

  @Test
  void locatingNothingIsAOneLineUsageError() {
    UsageException e = assertThrows(UsageException.class, () -> Checkpoints.locate(run, "--checkpoint"));
    assertTrue(e.getMessage().startsWith("--checkpoint " + run + ": no complete checkpoint"), e.getMessage());
    e = assertThrows(UsageException.class, () -> Checkpoints.locate(run.resolve("nope"), "--resume"));
    assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
  }
}
