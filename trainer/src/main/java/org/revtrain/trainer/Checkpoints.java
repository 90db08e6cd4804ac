package org.revtrain.trainer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code checkpoints/} directory of a run, written so that a crash at any moment leaves the
 * previous checkpoint readable:
 *
 * <ol>
 *   <li>the variables and {@code checkpoint.json} (which records the size and checksum of every
 *       variable file, and its own: {@link CheckpointIntegrity}) are written into a fresh {@code
 *       .tmp-*} directory inside {@code checkpoints/};
 *   <li>that directory is renamed to {@code step-NNNNNNNN} with an atomic move;
 *   <li>the {@code latest} pointer (a one-line file naming the directory) is replaced the same way:
 *       written to a temporary file, then atomically moved over the old one.
 * </ol>
 *
 * Files and directories are created with the permissions the process's umask gives. Readers ignore
 * {@code .tmp-*} entries and directories without {@code checkpoint.json}; they take the checkpoint
 * {@code latest} names, or else the newest complete one, and pass over (reporting them) checkpoints
 * whose files are damaged, missing or unreadable. A writer keeps the newest {@value #KEEP}
 * checkpoints and removes the temporaries of writes that were killed.
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

  /**
   * System property: milliseconds to pause after each stage of a checkpoint write (variables saved,
   * state written, directory renamed, pointer written), so that a fault-injection test's kill can
   * land inside a write. Unset or 0: no pause.
   */
  public static final String WRITE_PAUSE_PROPERTY = "revtrain.checkpoint.write-pause-millis";

  private static final String TEMP_PREFIX = ".tmp-";
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
  private static final long WRITE_PAUSE_MILLIS = Long.getLong(WRITE_PAUSE_PROPERTY, 0);

  private final Path directory;

  /**
   * The checkpoint a reader chose and the newer ones it passed over.
   *
   * @param checkpoint the newest usable checkpoint, if any
   * @param damaged newer checkpoints that could not be used, newest first
   */
  public record Selection(Optional<Checkpoint> checkpoint, List<CheckpointDamage> damaged) {
    /**
     * Copies the list of damaged checkpoints.
     *
     * @param checkpoint the newest usable checkpoint, if any
     * @param damaged newer checkpoints that could not be used, newest first
     */
    public Selection {
      damaged = List.copyOf(damaged);
    }
  }

  private Checkpoints(Path directory) {
    this.directory = directory;
  }

  /**
   * The checkpoints of the run in {@code runDirectory}.
   *
   * @param runDirectory the run's directory, which holds {@code checkpoints/}
   * @return the run's checkpoints; the directory need not exist yet
   */
  public static Checkpoints of(Path runDirectory) {
    return new Checkpoints(runDirectory.resolve(DIRECTORY));
  }

  /**
   * The {@code checkpoints/} directory.
   *
   * @return {@code <run>/checkpoints}
   */
  public Path directory() {
    return directory;
  }

  /**
   * Name of the checkpoint directory of {@code step}.
   *
   * @param step the step the checkpoint was taken after, ≥ 0
   * @return {@code step-} and the step in eight digits, e.g. {@code step-00000020}
   */
  public static String name(long step) {
    return String.format(Locale.ROOT, "step-%08d", step);
  }

  /**
   * Writes a checkpoint atomically, replacing one of the same step if there is one, and makes it
   * the latest. Checkpoints of later steps (left by a run that was resumed from an earlier one) are
   * deleted, so are all but the newest {@value #KEEP}, and so are stale temporaries.
   *
   * @param state the counters and configuration to record
   * @param saveVariables writes the variables under the prefix it is given
   * @return the complete checkpoint
   * @throws IOException if a file cannot be written, moved or deleted
   */
  public Checkpoint write(CheckpointState state, Consumer<Path> saveVariables) throws IOException {
    Files.createDirectories(directory);
    Path target = directory.resolve(name(state.step()));
    Path temp = freshTemporary(name(state.step()), true);
    try {
      saveVariables.accept(temp.resolve(Checkpoint.VARIABLES));
      pause();
      writeDurably(temp.resolve(STATE), CheckpointIntegrity.sealedJson(state, temp));
      pause();
      if (Files.exists(target)) {
        discard(target);
      }
      moveAtomically(temp, target);
      pause();
    } finally {
      if (Files.exists(temp)) {
        deleteTree(temp);
      }
    }
    pointAt(target);
    prune(state.step());
    return new Checkpoint(target, state);
  }

  /**
   * Makes {@code checkpoint}, one of this directory's, the latest, and deletes the checkpoints of
   * later steps: a run resumed from it abandons them. Does nothing for a checkpoint elsewhere.
   *
   * @param checkpoint the checkpoint the run resumes from
   * @throws IOException if the pointer cannot be written or a checkpoint deleted
   */
  public void abandonAfter(Checkpoint checkpoint) throws IOException {
    Path dir = checkpoint.directory().toAbsolutePath().normalize();
    if (!dir.getParent().equals(directory.toAbsolutePath().normalize())) {
      return;
    }
    pointAt(directory.resolve(dir.getFileName()));
    for (Path p : stepDirectories()) {
      if (stepOf(p) > checkpoint.state().step()) {
        discard(p);
      }
    }
  }

  /**
   * Deletes the {@code .tmp-*} entries that killed writes leave behind.
   *
   * @throws IOException if the directory cannot be listed or an entry deleted
   */
  public void removeTemporaries() throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    List<Path> temporaries;
    try (Stream<Path> s = Files.list(directory)) {
      temporaries = s.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList();
    }
    for (Path p : temporaries) {
      deleteTree(p);
    }
  }

  /**
   * The newest usable checkpoint, if any.
   *
   * @return the newest usable checkpoint, or empty if there is none
   */
  public Optional<Checkpoint> latest() {
    return select().checkpoint();
  }

  /**
   * The checkpoint {@code latest} names, or else the complete one of the highest step; a damaged,
   * incomplete or unreadable one is passed over for the next older one, and reported.
   *
   * @return the chosen checkpoint, if any, and the newer ones passed over
   * @throws UsageException if the directory cannot be listed
   */
  public Selection select() {
    List<Path> candidates = new ArrayList<>();
    latestTarget().ifPresent(candidates::add);
    List<Path> newestFirst = stepDirectories();
    Collections.reverse(newestFirst);
    for (Path p : newestFirst) {
      if (!candidates.contains(p)) {
        candidates.add(p);
      }
    }
    List<CheckpointDamage> damaged = new ArrayList<>();
    for (Path dir : candidates) {
      if (Files.notExists(dir.resolve(STATE))) {
        continue; // incomplete: not a checkpoint
      }
      Optional<CheckpointDamage> damage = damage(dir);
      if (damage.isEmpty()) {
        return new Selection(Optional.of(readState(dir)), damaged);
      }
      damaged.add(damage.get());
    }
    return new Selection(Optional.empty(), damaged);
  }

  /** The step directory {@code latest} names, if it names one that exists. */
  private Optional<Path> latestTarget() {
    try {
      String name = Files.readString(directory.resolve(LATEST), StandardCharsets.UTF_8).strip();
      Path dir = directory.resolve(name);
      return STEP_DIR.matcher(name).matches() && Files.isDirectory(dir)
          ? Optional.of(dir)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // no pointer, or an unreadable one: the scan decides
    }
  }

  /** Step directories, complete or not, by increasing step. */
  private List<Path> stepDirectories() {
    if (!Files.isDirectory(directory)) {
      return new ArrayList<>();
    }
    try (Stream<Path> s = Files.list(directory)) {
      return s.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches())
          .filter(Files::isDirectory)
          .sorted(Comparator.comparingLong(Checkpoints::stepOf))
          .collect(Collectors.toCollection(ArrayList::new));
    } catch (IOException e) {
      throw new UsageException(directory + ": " + CheckpointIntegrity.problem(e), e);
    }
  }

  private static long stepOf(Path dir) {
    Matcher m = STEP_DIR.matcher(dir.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Reads one checkpoint directory after checking its files.
   *
   * @param dir a checkpoint directory, {@code step-NNNNNNNN}
   * @return the checkpoint it holds
   * @throws UsageException naming the file if {@code checkpoint.json} is missing, or a file is
   *     damaged, missing or unreadable
   */
  public static Checkpoint read(Path dir) {
    Optional<CheckpointDamage> damage = damage(dir);
    if (damage.isPresent()) {
      throw new UsageException(damage.get().toString());
    }
    return readState(dir);
  }

  /** What is wrong with the checkpoint in {@code dir}, if anything. */
  private static Optional<CheckpointDamage> damage(Path dir) {
    Path file = dir.resolve(STATE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.of(new CheckpointDamage(dir, file, CheckpointIntegrity.problem(e)));
    }
    Optional<String> sealProblem = CheckpointIntegrity.sealProblem(text);
    if (sealProblem.isPresent()) {
      return Optional.of(new CheckpointDamage(dir, file, sealProblem.get()));
    }
    JsonObject o;
    try {
      o = JsonParser.parseString(text).getAsJsonObject();
      CheckpointState.fromJson(o);
    } catch (RuntimeException e) {
      return Optional.of(
          new CheckpointDamage(dir, file, "unreadable checkpoint state (" + e.getMessage() + ")"));
    }
    return CheckpointIntegrity.fileDamage(dir, o);
  }

  /** The checkpoint in {@code dir}, whose files {@link #damage} found intact. */
  private static Checkpoint readState(Path dir) {
    Path file = dir.resolve(STATE);
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return new Checkpoint(
          dir, CheckpointState.fromJson(JsonParser.parseString(text).getAsJsonObject()));
    } catch (IOException e) {
      throw new UsageException(file + ": " + CheckpointIntegrity.problem(e), e);
    }
  }

  /**
   * The checkpoint at {@code path}, as {@link #find} chooses it; damaged newer ones are passed over
   * ({@link #find} reports them).
   *
   * @param path a checkpoint, {@code checkpoints/} or run directory
   * @return the chosen checkpoint
   * @throws UsageException naming the path, or the damaged file, if there is no such directory or
   *     no usable checkpoint in it
   */
  public static Checkpoint locate(Path path) {
    return find(path).checkpoint().orElseThrow();
  }

  /**
   * The checkpoint at {@code path}: a checkpoint directory (with {@code checkpoint.json}), a {@code
   * checkpoints/} directory, or a run directory, of which the newest usable checkpoint is taken,
   * passing over damaged ones (reported in the selection).
   *
   * @param path a checkpoint, {@code checkpoints/} or run directory
   * @return the chosen checkpoint and the newer ones passed over
   * @throws UsageException naming the path, or the damaged file, if there is no such directory or
   *     no usable checkpoint in it
   */
  public static Selection find(Path path) {
    if (!Files.isDirectory(path)) {
      throw new UsageException(
          path + (Files.exists(path) ? ": not a directory" : ": no such directory"));
    }
    if (Files.exists(path.resolve(STATE))) {
      return new Selection(Optional.of(read(path)), List.of());
    }
    Checkpoints c = Files.isDirectory(path.resolve(DIRECTORY)) ? of(path) : new Checkpoints(path);
    Selection s = c.select();
    if (s.checkpoint().isPresent()) {
      return s;
    }
    if (!s.damaged().isEmpty()) {
      throw new UsageException(
          s.damaged().get(0)
              + "; no usable checkpoint in "
              + c.directory
              + (s.damaged().size() > 1 ? " (" + s.damaged().size() + " damaged)" : ""));
    }
    if (Files.isRegularFile(path.resolve(Trainer.CONFIG_FILE))) {
      throw new UsageException(
          path
              + ": holds a run that stopped before its first checkpoint; nothing to continue:"
              + " start it again as a new run in the same directory");
    }
    throw new UsageException(
        path
            + ": no complete checkpoint found (expected a run directory with "
            + DIRECTORY
            + "/"
            + LATEST
            + ", or a checkpoint directory with "
            + STATE
            + ")");
  }

  /**
   * Deletes the checkpoints after {@code step}, all but the newest {@link #KEEP} up to it, and
   * stale temporaries.
   */
  private void prune(long step) throws IOException {
    List<Path> kept = new ArrayList<>();
    for (Path p : stepDirectories()) {
      if (stepOf(p) > step) {
        discard(p); // a resumed run's abandoned future
      } else if (Files.isRegularFile(p.resolve(STATE))) {
        kept.add(p);
      }
    }
    for (int i = 0; i < kept.size() - KEEP; i++) {
      discard(kept.get(i));
    }
    removeTemporaries();
  }

  /** Replaces {@code latest} by a pointer to {@code target}. */
  private void pointAt(Path target) throws IOException {
    Path pointer = freshTemporary(LATEST, false);
    writeDurably(pointer, target.getFileName() + "\n");
    pause();
    moveAtomically(pointer, directory.resolve(LATEST));
  }

  /** Deletes a step directory, renamed to a temporary first so that no reader sees it half gone. */
  private void discard(Path stepDirectory) throws IOException {
    Path doomed = temporaryName("discarded-" + stepDirectory.getFileName());
    moveAtomically(stepDirectory, doomed);
    deleteTree(doomed);
  }

  /**
   * A new temporary file or directory {@code .tmp-STEM-RANDOM}, with the permissions the umask
   * gives (not the owner-only ones of {@link Files#createTempDirectory}).
   */
  private Path freshTemporary(String stem, boolean isDirectory) throws IOException {
    while (true) {
      Path p = temporaryName(stem);
      try {
        return isDirectory ? Files.createDirectory(p) : Files.createFile(p);
      } catch (FileAlreadyExistsException taken) {
        // draw another name
      }
    }
  }

  /** {@code .tmp-STEM-RANDOM} in the checkpoints directory. */
  private Path temporaryName(String stem) {
    return directory.resolve(
        TEMP_PREFIX
            + stem
            + "-"
            + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
  }

  private static void pause() {
    if (WRITE_PAUSE_MILLIS > 0) {
      try {
        Thread.sleep(WRITE_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void writeDurably(Path file, String text) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(StandardCharsets.UTF_8.encode(text));
      ch.force(true);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          to + ": the file system cannot rename atomically; checkpoints need it", e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException gone) {
      // removed meanwhile
    }
  }
}
