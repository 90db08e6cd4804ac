package org.revtrain.trainer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code checkpoints/} directory of a run, written so that a crash at any moment leaves the
 * previous checkpoint readable:
 *
 * <ol>
 *   <li>the variables and {@code checkpoint.json} are written into a fresh {@code .tmp-*}
 *       directory inside {@code checkpoints/};
 *   <li>that directory is renamed to {@code step-NNNNNNNN} with an atomic move;
 *   <li>the {@code latest} pointer (a one-line file naming the directory) is replaced the same
 *       way: written to a temporary file, then atomically moved over the old one.
 * </ol>
 *
 * Readers ignore {@code .tmp-*} entries and directories without {@code checkpoint.json}; if
 * {@code latest} is missing or names no complete checkpoint, the complete checkpoint of the
 * highest step is used. The newest {@value #KEEP} checkpoints are kept.
 */
public final class Checkpoints {
  /** Name of the checkpoints directory inside a run directory. */
  public static final String DIRECTORY = "checkpoints";
  /** Name of the pointer file. */
  public static final String LATEST = "latest";
  /** Name of the state file inside a checkpoint. */
  public static final String STATE = "checkpoint.json";
  /** Checkpoints kept; older ones are deleted after a new one is complete. */
  public static final int KEEP = 3;

  private static final String TEMP_PREFIX = ".tmp-";
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");

  private final Path directory;

  private Checkpoints(Path directory) {
    this.directory = directory;
  }

  /** The checkpoints of the run in {@code runDirectory}. */
  public static Checkpoints of(Path runDirectory) {
    return new Checkpoints(runDirectory.resolve(DIRECTORY));
  }

  /** The {@code checkpoints/} directory. */
  public Path directory() {
    return directory;
  }

  /** Name of the checkpoint directory of {@code step}. */
  public static String name(long step) {
    return String.format(Locale.ROOT, "step-%08d", step);
  }

  /**
   * Writes a checkpoint atomically; does nothing if one of this step exists already.
   *
   * @param state the counters and configuration to record
   * @param saveVariables writes the variables under the prefix it is given
   * @return the complete checkpoint
   */
  public Checkpoint write(CheckpointState state, Consumer<Path> saveVariables) throws IOException {
    Files.createDirectories(directory);
    Path target = directory.resolve(name(state.step()));
    if (!Files.isRegularFile(target.resolve(STATE))) {
      Path temp = Files.createTempDirectory(directory, TEMP_PREFIX + name(state.step()) + "-");
      try {
        saveVariables.accept(temp.resolve(Checkpoint.VARIABLES));
        writeDurably(temp.resolve(STATE), state.toJson().toString() + "\n");
        if (Files.exists(target)) {
          deleteTree(target); // an incomplete leftover: no checkpoint.json
        }
        moveAtomically(temp, target);
      } finally {
        if (Files.exists(temp)) {
          deleteTree(temp);
        }
      }
    }
    Path pointer = Files.createTempFile(directory, TEMP_PREFIX + LATEST + "-", "");
    writeDurably(pointer, target.getFileName() + "\n");
    moveAtomically(pointer, directory.resolve(LATEST));
    prune(target);
    return new Checkpoint(target, state);
  }

  /** The checkpoint {@code latest} names, or else the complete one of the highest step. */
  public Optional<Checkpoint> latest() {
    Path pointer = directory.resolve(LATEST);
    if (Files.isRegularFile(pointer)) {
      try {
        String name = Files.readString(pointer, StandardCharsets.UTF_8).strip();
        Path dir = directory.resolve(name);
        if (STEP_DIR.matcher(name).matches() && Files.isRegularFile(dir.resolve(STATE))) {
          return Optional.of(read(dir));
        }
      } catch (IOException e) {
        // fall back to scanning
      }
    }
    return complete().reduce((a, b) -> b).map(Checkpoints::read);
  }

  /** Complete checkpoint directories, by increasing step. */
  private Stream<Path> complete() {
    if (!Files.isDirectory(directory)) {
      return Stream.empty();
    }
    try (Stream<Path> s = Files.list(directory)) {
      List<Path> dirs =
          s.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches())
              .filter(p -> Files.isRegularFile(p.resolve(STATE)))
              .sorted(Comparator.comparingLong(Checkpoints::stepOf))
              .toList();
      return dirs.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long stepOf(Path dir) {
    Matcher m = STEP_DIR.matcher(dir.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Reads one checkpoint directory.
   *
   * @throws UsageException if its {@code checkpoint.json} is missing or unreadable
   */
  public static Checkpoint read(Path dir) {
    Path file = dir.resolve(STATE);
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      return new Checkpoint(dir, CheckpointState.fromJson(o));
    } catch (IOException | RuntimeException e) {
      throw new UsageException(file + ": unreadable checkpoint state (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The checkpoint a user names: a checkpoint directory (with {@code checkpoint.json}), a {@code
   * checkpoints/} directory, or a run directory, whose latest checkpoint is taken.
   *
   * @param option the option that named it, for messages
   * @throws UsageException if there is no such directory or no complete checkpoint in it
   */
  public static Checkpoint locate(Path path, String option) {
    if (!Files.isDirectory(path)) {
      throw new UsageException(option + " " + path + ": no such directory");
    }
    if (Files.isRegularFile(path.resolve(STATE))) {
      return read(path);
    }
    Checkpoints c =
        Files.isDirectory(path.resolve(DIRECTORY)) ? of(path) : new Checkpoints(path);
    return c.latest()
        .orElseThrow(
            () ->
                new UsageException(
                    option
                        + " "
                        + path
                        + ": no complete checkpoint found (expected a run directory with checkpoints/"
                        + LATEST
                        + ", or a checkpoint directory with "
                        + STATE
                        + ")"));
  }

  /** Deletes all but the newest {@link #KEEP} complete checkpoints, and stale temporaries. */
  private void prune(Path current) throws IOException {
    List<Path> all = complete().toList();
    for (int i = 0; i < all.size() - KEEP; i++) {
      if (!all.get(i).equals(current)) {
        deleteTree(all.get(i));
      }
    }
  }

  private static void writeDurably(Path file, String text) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(StandardCharsets.UTF_8.encode(text));
      ch.force(true);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(to + ": the file system cannot rename atomically; checkpoints need it", e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
