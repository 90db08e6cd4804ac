package org.revtrain.trainer.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.revtrain.trainer.UsageException;

/**
 * A directory a command is to write into, checked before the command does any work, so that a path
 * it cannot write is one line naming it rather than a failure after minutes of training.
 */
final class OutputDirectory {
  private OutputDirectory() {}

  /**
   * Fails unless {@code dir} is a writable directory or can be created. A directory that does not
   * exist is created to find out, then removed again with any parents created for it.
   *
   * @param flag the option that names the directory, for the message
   * @throws UsageException naming the flag, the directory and what is wrong
   */
  static void require(String flag, Path dir) {
    String name = flag + " " + dir;
    if (Files.isDirectory(dir)) {
      if (!Files.isWritable(dir)) {
        throw new UsageException(name + ": directory is not writable");
      }
      return;
    }
    if (Files.exists(dir)) {
      throw new UsageException(name + ": is a file, not a directory");
    }
    Path existing = dir.toAbsolutePath().normalize();
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!Files.isDirectory(existing)) {
      throw new UsageException(name + ": " + existing + " is a file, not a directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (FileSystemException e) {
      throw new UsageException(name + ": cannot create directory " + ErrorHandler.describe(e));
    } catch (IOException e) {
      throw new UsageException(name + ": cannot create directory: " + e.getMessage());
    } finally {
      removeCreated(dir.toAbsolutePath().normalize(), existing);
    }
  }

  /** Removes {@code dir} and its parents up to, not including, {@code existing}. */
  private static void removeCreated(Path dir, Path existing) {
    for (Path p = dir; p != null && !p.equals(existing); p = p.getParent()) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        return; // not ours to clean (something appeared in it meanwhile)
      }
    }
  }
}
