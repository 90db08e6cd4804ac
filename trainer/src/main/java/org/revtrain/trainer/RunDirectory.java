package org.revtrain.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rule for directories that commands write into. A new run goes into a directory that does not
 * exist, is empty, or holds a run that stopped before its first checkpoint (the run is then started
 * again); a SavedModel goes into a directory that does not exist or is empty. A directory that
 * holds anything else is refused, naming what is there.
 */
public final class RunDirectory {
  /** Entries named in a refusal before "and N more". */
  private static final int NAMED = 4;

  /** What a directory holds. */
  public enum Contents {
    /** It does not exist, or is empty. */
    NOTHING,
    /** A run ({@code config.json}) that stopped before its first checkpoint. */
    RUN_WITHOUT_CHECKPOINT,
    /** A run with checkpoints. */
    RUN,
    /** Files or directories that are not a run. */
    OTHER
  }

  private RunDirectory() {}

  /**
   * What {@code dir} holds.
   *
   * @throws UsageException if it exists but is not a directory, or cannot be listed
   */
  public static Contents inspect(Path dir) {
    if (!Files.exists(dir)) {
      return Contents.NOTHING;
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageException(dir + ": exists and is not a directory");
    }
    if (entries(dir).isEmpty()) {
      return Contents.NOTHING;
    }
    if (!Files.isRegularFile(dir.resolve(Trainer.CONFIG_FILE))) {
      return Contents.OTHER;
    }
    Path checkpoints = dir.resolve(Checkpoints.DIRECTORY);
    boolean anyCheckpoint =
        Files.isDirectory(checkpoints)
            && entries(checkpoints).stream().anyMatch(p -> p.startsWith("step-"));
    return anyCheckpoint ? Contents.RUN : Contents.RUN_WITHOUT_CHECKPOINT;
  }

  /**
   * Checks that a new run may be written into {@code dir}.
   *
   * @return what it holds: {@link Contents#NOTHING} or {@link Contents#RUN_WITHOUT_CHECKPOINT}
   * @throws UsageException if it holds a run with checkpoints or anything that is not a run
   */
  public static Contents requireForNewRun(Path dir) {
    Contents c = inspect(dir);
    if (c == Contents.RUN) {
      throw new UsageException(
          dir
              + ": already holds a run with checkpoints; resume it, or choose a new or empty"
              + " directory");
    }
    if (c == Contents.OTHER) {
      requireNewOrEmpty(dir);
    }
    return c;
  }

  /**
   * Checks that {@code dir} does not exist or is empty.
   *
   * @throws UsageException naming what it holds otherwise
   */
  public static void requireNewOrEmpty(Path dir) {
    if (inspect(dir) == Contents.NOTHING) {
      return;
    }
    List<String> names = entries(dir);
    String listed = String.join(", ", names.subList(0, Math.min(NAMED, names.size())));
    if (names.size() > NAMED) {
      listed += " and " + (names.size() - NAMED) + " more";
    }
    throw new UsageException(
        dir + ": not empty (holds " + listed + "); choose a new or empty directory");
  }

  /** The names in {@code dir}, sorted, directories with a trailing slash. */
  private static List<String> entries(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
    } catch (IOException e) {
      throw new UsageException(dir + ": " + CheckpointIntegrity.problem(e), e);
    }
  }
}
