package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.trainer.data.Standardization;

/** Checkpoints are written atomically: a crash while writing leaves the previous one readable. */
class CheckpointsTest {
  @TempDir Path run;

  private static CheckpointState state(long step) {
    return new CheckpointState(
        step,
        8,
        step * 0.5,
        -1,
        RunningMeans.NONE,
        new ImageShape(32, 32, 3, 10),
        new Standardization(new float[] {0.1f, 0.2f, 0.3f}, new float[] {1f, 2f, 3f}),
        TinyRuns.config(40).build());
  }

  /** Stands in for Session.save: writes the two files a TensorFlow checkpoint has. */
  private static void fakeSave(Path prefix) {
    try {
      Files.writeString(prefix.resolveSibling(prefix.getFileName() + ".index"), "index");
      Files.writeString(
          prefix.resolveSibling(prefix.getFileName() + ".data-00000-of-00001"), "data");
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
    assertEquals(
        List.of(Checkpoints.LATEST, "step-00000010"), entries(), "no trace of the failed write");
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
    assertEquals(10, Checkpoints.locate(run).state().step());

    Files.writeString(dir.resolve(Checkpoints.LATEST), "step-00000099\n");
    assertEquals(
        10, c.latest().orElseThrow().state().step(), "falls back to the highest complete one");

    Files.writeString(dir.resolve(".tmp-latest-x1"), "step-00000010\n");
    Checkpoint next = c.write(state(40), CheckpointsTest::fakeSave);
    assertEquals(40, c.latest().orElseThrow().state().step());
    assertTrue(Files.isRegularFile(next.directory().resolve(Checkpoints.STATE)));
    assertEquals(
        List.of(Checkpoints.LATEST, "step-00000010", "step-00000040"),
        entries(),
        "the next save removes what killed writes left behind");
  }

  @Test
  void damagedCheckpointsArePassedOverNamingTheFile() throws IOException {
    Checkpoints c = Checkpoints.of(run);
    for (long s = 10; s <= 30; s += 10) {
      c.write(state(s), CheckpointsTest::fakeSave);
    }
    Path newest = c.directory().resolve("step-00000030");
    Path data = newest.resolve("variables.data-00000-of-00001");
    Path index = newest.resolve("variables.index");
    Path json = newest.resolve(Checkpoints.STATE);
    byte[] dataBytes = Files.readAllBytes(data);
    byte[] indexBytes = Files.readAllBytes(index);
    byte[] jsonBytes = Files.readAllBytes(json);

    Files.write(data, Arrays.copyOf(dataBytes, 2)); // truncated
    assertPassedOver(data, "truncated: 2 of 4 bytes");
    Files.write(data, dataBytes);

    Files.write(index, flip(indexBytes, 1)); // one bit changed
    assertPassedOver(index, "checksum does not match");
    Files.write(index, indexBytes);

    Files.delete(index); // index-less
    assertPassedOver(index, "missing");
    Files.write(index, indexBytes);

    int digit = new String(jsonBytes, StandardCharsets.UTF_8).indexOf("\"step\":") + 7;
    Files.write(json, flip(jsonBytes, digit)); // step 30 now reads as another number
    assertPassedOver(json, "checksum does not match");
    Files.write(json, jsonBytes);

    assertEquals(
        30, Checkpoints.find(run).checkpoint().orElseThrow().state().step(), "intact again");
    assertEquals(List.of(), Checkpoints.find(run).damaged());
  }

  /**
   * The newest checkpoint is damaged in {@code file}: readers take the previous one, and say why.
   */
  private void assertPassedOver(Path file, String problem) {
    Checkpoints.Selection s = Checkpoints.find(run);
    assertEquals(20, s.checkpoint().orElseThrow().state().step(), file + ": " + problem);
    assertEquals(1, s.damaged().size());
    assertEquals(file, s.damaged().get(0).file());
    assertTrue(s.damaged().get(0).problem().contains(problem), s.damaged().get(0).toString());
    assertEquals(20, Checkpoints.of(run).latest().orElseThrow().state().step());
  }

  private static byte[] flip(byte[] bytes, int at) {
    byte[] b = bytes.clone();
    b[at] ^= 0x04;
    return b;
  }

  @Test
  void noUsableCheckpointNamesTheNewestDamagedFile() throws IOException {
    Checkpoints c = Checkpoints.of(run);
    c.write(state(10), CheckpointsTest::fakeSave);
    c.write(state(20), CheckpointsTest::fakeSave);
    for (String step : List.of("step-00000010", "step-00000020")) {
      Files.delete(c.directory().resolve(step).resolve("variables.index"));
    }
    UsageException e = assertThrows(UsageException.class, () -> Checkpoints.locate(run));
    assertEquals(
        c.directory().resolve("step-00000020").resolve("variables.index")
            + ": missing; no usable"
            + " checkpoint in "
            + c.directory()
            + " (2 damaged)",
        e.getMessage());
    e =
        assertThrows(
            UsageException.class, () -> Checkpoints.locate(c.directory().resolve("step-00000010")));
    assertTrue(e.getMessage().endsWith("step-00000010/variables.index: missing"), e.getMessage());
  }

  @Test
  void filesAndDirectoriesGetThePermissionsTheUmaskGives() throws IOException {
    Checkpoints c = Checkpoints.of(run);
    Checkpoint written = c.write(state(10), CheckpointsTest::fakeSave);
    // what this process's umask gives a new directory and a new file
    Path dirLike = Files.createDirectory(run.resolve("probe-dir"));
    Path fileLike = Files.createFile(run.resolve("probe-file"));
    assertEquals(
        Files.getPosixFilePermissions(dirLike), Files.getPosixFilePermissions(written.directory()));
    assertEquals(
        Files.getPosixFilePermissions(fileLike),
        Files.getPosixFilePermissions(c.directory().resolve(Checkpoints.LATEST)));
    assertEquals(
        Files.getPosixFilePermissions(fileLike),
        Files.getPosixFilePermissions(written.directory().resolve(Checkpoints.STATE)));
  }

  @Test
  void aCheckpointUnreadableForPermissionsSaysSo() throws IOException {
    Checkpoints c = Checkpoints.of(run);
    c.write(state(10), CheckpointsTest::fakeSave);
    Path json = c.directory().resolve("step-00000010").resolve(Checkpoints.STATE);
    Files.setPosixFilePermissions(json, Set.of());
    try {
      Assumptions.assumeFalse(
          Files.isReadable(json),
          "running as root: file permissions are not enforced, nothing to test");
      UsageException e = assertThrows(UsageException.class, () -> Checkpoints.locate(run));
      assertTrue(e.getMessage().startsWith(json + ": permission denied"), e.getMessage());
    } finally {
      Files.setPosixFilePermissions(json, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  @Test
  void aRunResumedFromAnEarlierCheckpointAbandonsTheLaterOnes() throws IOException {
    Checkpoints c = Checkpoints.of(run);
    for (long s = 10; s <= 30; s += 10) {
      c.write(state(s), CheckpointsTest::fakeSave);
    }
    Checkpoint at20 = Checkpoints.read(c.directory().resolve("step-00000020"));
    c.abandonAfter(at20);
    assertEquals(List.of(Checkpoints.LATEST, "step-00000010", "step-00000020"), entries());
    assertEquals(
        "step-00000020", Files.readString(c.directory().resolve(Checkpoints.LATEST)).strip());
    c.write(state(15), CheckpointsTest::fakeSave); // a checkpoint before the later ones: they go
    assertEquals(List.of(Checkpoints.LATEST, "step-00000010", "step-00000015"), entries());
  }

  @Test
  void theNewestThreeAreKeptAndStateRoundTrips() throws IOException {
    Checkpoints c = Checkpoints.of(run);
    for (long s = 5; s <= 25; s += 5) {
      c.write(state(s), CheckpointsTest::fakeSave);
    }
    assertEquals(
        List.of(Checkpoints.LATEST, "step-00000015", "step-00000020", "step-00000025"), entries());
    CheckpointState read = c.latest().orElseThrow().state();
    assertEquals(25, read.step());
    assertEquals(12.5, read.seconds());
    assertEquals(state(25).config(), read.config());
    assertEquals(3f, read.standardization().std()[2]);
    assertFalse(Files.exists(c.directory().resolve("step-00000005")));
  }

  @Test
  void locatingNothingIsAOneLineUsageError() {
    UsageException e = assertThrows(UsageException.class, () -> Checkpoints.locate(run));
    assertTrue(e.getMessage().startsWith(run + ": no complete checkpoint"), e.getMessage());
    e = assertThrows(UsageException.class, () -> Checkpoints.locate(run.resolve("nope")));
    assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
  }
}
