package org.revtrain.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory that holds the files of one data set; finds those files by name and reports a missing
 * directory or file with a one-line {@link DataException} naming it.
 */
final class DataDirectory {

  private final Path dir;

  private DataDirectory(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens a data directory.
   *
   * @param dir the directory
   * @throws DataException if it does not exist or is not a directory
   */
  static DataDirectory open(Path dir) {
    if (!Files.exists(dir)) {
      throw new DataException(dir + ": data directory does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new DataException(dir + ": not a directory (expected a data directory)");
    }
    return new DataDirectory(dir);
  }

  /** The directory itself. */
  Path path() {
    return dir;
  }

  /** Whether a regular file of this name is present. */
  boolean has(String name) {
    return Files.isRegularFile(dir.resolve(name));
  }

  /**
   * A file that must be present.
   *
   * @param name file name inside the directory
   * @throws DataException naming the directory and the missing file
   */
  Path require(String name) {
    if (!has(name)) {
      throw new DataException(dir + ": missing file " + name);
    }
    return dir.resolve(name);
  }

  /**
   * A file that must be present either plainly or gzip-compressed ({@code name.gz}); the plain file
   * wins when both exist.
   *
   * @param name file name without {@code .gz}
   * @throws DataException naming the directory and both accepted names
   */
  Path requirePlainOrGzip(String name) {
    if (has(name)) {
      return dir.resolve(name);
    }
    if (has(name + ".gz")) {
      return dir.resolve(name + ".gz");
    }
    throw new DataException(dir + ": missing file " + name + " (or " + name + ".gz)");
  }
}
