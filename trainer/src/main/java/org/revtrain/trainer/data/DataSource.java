package org.revtrain.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A data set named by a command-line spec, and the means to load it.
 *
 * <p>Accepted specs:
 *
 * <ul>
 *   <li>{@code builtin}: the generated {@link BuiltinDataset} (no files needed);
 *   <li>{@code fashion-mnist}: Fashion-MNIST as installed by the Debian package {@code
 *       dataset-fashion-mnist} in {@value #FASHION_MNIST_DIR_NAME};
 *   <li>{@code idx:DIR}: an MNIST-layout directory of IDX files (see {@link IdxReader});
 *   <li>{@code cifar10:DIR}: the CIFAR-10 binary batches (see {@link CifarReader});
 *   <li>{@code cifar100:DIR}: the CIFAR-100 binary files, fine labels.
 * </ul>
 *
 * <p>The format name is case-insensitive; a leading {@code ~/} in {@code DIR} stands for the home
 * directory. Parsing checks only the spec's syntax; {@link #load()} touches the file system.
 */
public final class DataSource {

  /** Where the {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
  public static final String FASHION_MNIST_DIR_NAME = "/usr/share/datasets/fashion-mnist";

  /** {@link #FASHION_MNIST_DIR_NAME} as a path. */
  public static final Path FASHION_MNIST_DIR = Path.of(FASHION_MNIST_DIR_NAME);

  private static final String FASHION_INSTALL = "apt-get install dataset-fashion-mnist";

  private static final String USAGE =
      "expected one of: builtin, fashion-mnist, idx:DIR, cifar10:DIR, cifar100:DIR";

  /** The file formats a spec can name. */
  public enum Format {
    /** Generated in memory by {@link BuiltinDataset}. */
    BUILTIN,
    /** MNIST-layout IDX files, read by {@link IdxReader}. */
    IDX,
    /** CIFAR-10 binary batches, read by {@link CifarReader}. */
    CIFAR10,
    /** CIFAR-100 binary files, read by {@link CifarReader}. */
    CIFAR100
  }

  private final String spec;
  private final Format format;
  private final Path directory;
  private final boolean fashionMnist;

  private DataSource(String spec, Format format, Path directory, boolean fashionMnist) {
    this.spec = spec;
    this.format = format;
    this.directory = directory;
    this.fashionMnist = fashionMnist;
  }

  /**
   * Parses a data spec.
   *
   * @param spec one of the forms listed in the class description
   * @return the data source it names
   * @throws DataException if the spec is empty, unknown or lacks its directory
   */
  public static DataSource parse(String spec) {
    return parse(spec, FASHION_MNIST_DIR);
  }

  /** As {@link #parse(String)}, with {@code fashion-mnist} looked for in {@code fashionDir}. */
  static DataSource parse(String spec, Path fashionDir) {
    if (spec == null || spec.isBlank()) {
      throw new DataException("empty data spec; " + USAGE);
    }
    String s = spec.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("builtin")) {
      return new DataSource(s, Format.BUILTIN, null, false);
    }
    if (lower.equals("fashion-mnist") || lower.equals("fashion_mnist")) {
      return new DataSource(s, Format.IDX, fashionDir, true);
    }
    int colon = s.indexOf(':');
    if (colon < 0) {
      throw new DataException("unknown data spec '" + s + "'; " + USAGE);
    }
    String prefix = lower.substring(0, colon);
    Format format =
        switch (prefix) {
          case "idx" -> Format.IDX;
          case "cifar10", "cifar-10" -> Format.CIFAR10;
          case "cifar100", "cifar-100" -> Format.CIFAR100;
          case "builtin", "fashion-mnist" ->
              throw new DataException(
                  "data spec '" + s + "': '" + prefix + "' takes no directory; " + USAGE);
          default ->
              throw new DataException(
                  "unknown data format '"
                      + s.substring(0, colon)
                      + "' in data spec '"
                      + s
                      + "'; "
                      + USAGE);
        };
    String dir = s.substring(colon + 1).strip();
    if (dir.isEmpty()) {
      throw new DataException(
          "data spec '" + s + "': missing directory after '" + s.substring(0, colon + 1) + "'");
    }
    return new DataSource(s, format, toPath(s, dir), false);
  }

  private static Path toPath(String spec, String dir) {
    try {
      if (dir.equals("~") || dir.startsWith("~/")) {
        return Path.of(System.getProperty("user.home") + dir.substring(1));
      }
      return Path.of(dir);
    } catch (RuntimeException e) {
      throw new DataException("data spec '" + spec + "': invalid directory '" + dir + "'", e);
    }
  }

  /** The spec as given (surrounding blanks removed). */
  public String spec() {
    return spec;
  }

  /** The format the spec names. */
  public Format format() {
    return format;
  }

  /** The data directory, empty for {@code builtin}. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /**
   * Loads the data set.
   *
   * @return its training and test sets
   * @throws DataException if a directory or file is missing or malformed
   */
  public DataSplit load() {
    if (fashionMnist && !Files.isDirectory(directory)) {
      throw new DataException(
          directory + ": Fashion-MNIST not found; install it with: " + FASHION_INSTALL);
    }
    try {
      return switch (format) {
        case BUILTIN -> BuiltinDataset.generate();
        case IDX -> IdxReader.readDirectory(directory);
        case CIFAR10 -> CifarReader.readCifar10(directory);
        case CIFAR100 -> CifarReader.readCifar100(directory);
      };
    } catch (DataException e) {
      if (fashionMnist) {
        throw new DataException(
            e.getMessage()
                + "; reinstall Fashion-MNIST with: apt-get install --reinstall "
                + "dataset-fashion-mnist",
            e);
      }
      throw e;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataSource d
        && format == d.format
        && fashionMnist == d.fashionMnist
        && Objects.equals(directory, d.directory);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, directory, fashionMnist);
  }

  @Override
  public String toString() {
    return spec;
  }
}
