package org.revtrain.trainer.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads labelled image sets in the IDX format of MNIST and Fashion-MNIST: an {@code idx3-ubyte}
 * images file and an {@code idx1-ubyte} labels file, each either plain or gzip-compressed (detected
 * by the gzip magic bytes, not by the file name).
 *
 * <p>Images files start with the big-endian magic {@code 0x00000803}, the image count, the row
 * count and the column count, followed by one unsigned byte per pixel; labels files start with
 * {@code 0x00000801} and the label count, followed by one unsigned byte per label. Pixels are
 * scaled to {@code [0, 1]}. Every inconsistency (wrong magic, truncated or oversized file, image
 * and label counts that differ, label out of range, no images) is reported as a {@link
 * DataException} naming the file.
 */
public final class IdxReader {

  /** Magic number of an unsigned-byte, three-dimensional IDX file (images). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an unsigned-byte, one-dimensional IDX file (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  /** Training images file name in an MNIST-layout directory (optionally with {@code .gz}). */
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";

  /** Training labels file name in an MNIST-layout directory (optionally with {@code .gz}). */
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";

  /** Test images file name in an MNIST-layout directory (optionally with {@code .gz}). */
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";

  /** Test labels file name in an MNIST-layout directory (optionally with {@code .gz}). */
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  private IdxReader() {}

  /**
   * Reads an MNIST-layout directory: {@value #TRAIN_IMAGES}, {@value #TRAIN_LABELS}, {@value
   * #TEST_IMAGES} and {@value #TEST_LABELS}, each plain or with {@code .gz}, as grayscale images (1
   * channel). The number of classes is the largest training label plus one (10 for MNIST and
   * Fashion-MNIST, 26 or 47 for EMNIST's letters and balanced sets); every test label must be one
   * of them.
   *
   * @param dir the directory
   * @return the training and test sets
   * @throws DataException if the directory or a file is missing or malformed, a set holds no
   *     images, the training labels name fewer than two classes or a test label none of them
   */
  public static DataSplit readDirectory(Path dir) {
    DataDirectory d = DataDirectory.open(dir);
    Path trainImages = d.requirePlainOrGzip(TRAIN_IMAGES);
    Path trainLabels = d.requirePlainOrGzip(TRAIN_LABELS);
    Path testImages = d.requirePlainOrGzip(TEST_IMAGES);
    Path testLabels = d.requirePlainOrGzip(TEST_LABELS);
    Labelled trainFiles = nonEmpty(readLabelled(trainImages, trainLabels));
    int classes = Arrays.stream(trainFiles.labels).max().getAsInt() + 1;
    if (classes < 2) {
      throw new DataException(
          trainLabels + ": every label is 0; a classifier needs at least two classes");
    }
    ImageDataset train = trainFiles.dataset(classes);
    ImageDataset test = nonEmpty(readLabelled(testImages, testLabels)).dataset(classes);
    if (!train.sameShapeAs(test)) {
      throw new DataException(
          testImages
              + ": images are "
              + test.height()
              + "x"
              + test.width()
              + " but training images"
              + " in "
              + trainImages.getFileName()
              + " are "
              + train.height()
              + "x"
              + train.width());
    }
    return new DataSplit(train, test);
  }

  /**
   * Reads one images file and its labels file as a grayscale (1-channel) data set.
   *
   * @param imagesFile an {@code idx3-ubyte} file, plain or gzip
   * @param labelsFile an {@code idx1-ubyte} file, plain or gzip
   * @param numClasses number of classes; every label must lie in {@code [0, numClasses)}
   * @return the images with pixels scaled to {@code [0, 1]}, and their labels
   * @throws DataException if a file is missing or malformed, or the counts disagree
   */
  public static ImageDataset read(Path imagesFile, Path labelsFile, int numClasses) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("numClasses must be positive, was " + numClasses);
    }
    return readLabelled(imagesFile, labelsFile).dataset(numClasses);
  }

  private static Labelled readLabelled(Path imagesFile, Path labelsFile) {
    int[] labels = readLabels(labelsFile);
    Images images = readImages(imagesFile);
    if (images.count != labels.length) {
      throw new DataException(
          imagesFile
              + ": holds "
              + images.count
              + " images but labels file "
              + labelsFile.getFileName()
              + " holds "
              + labels.length
              + " labels");
    }
    return new Labelled(imagesFile, labelsFile, images, labels);
  }

  private static Labelled nonEmpty(Labelled set) {
    if (set.labels.length == 0) {
      throw new DataException(set.imagesFile + ": holds no images; a data set needs at least one");
    }
    return set;
  }

  private record Images(int count, int rows, int cols, float[] pixels) {}

  /** An images file and its labels, read and counted but not yet checked against the classes. */
  private record Labelled(Path imagesFile, Path labelsFile, Images images, int[] labels) {
    ImageDataset dataset(int numClasses) {
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] >= numClasses) {
          throw new DataException(
              labelsFile
                  + ": label "
                  + labels[i]
                  + " at index "
                  + i
                  + " out of range [0, "
                  + numClasses
                  + ")");
        }
      }
      return ImageDataset.adopt(images.pixels, labels, images.rows, images.cols, 1, numClasses);
    }
  }

  private static Images readImages(Path file) {
    try (InputStream in = open(file)) {
      byte[] header = in.readNBytes(16);
      int magic = header.length >= 4 ? intAt(header, 0) : 0;
      checkMagic(file, header, magic, IMAGES_MAGIC, "images");
      if (header.length < 16) {
        throw new DataException(
            file + ": truncated: IDX images header is " + header.length + " bytes, expected 16");
      }
      int count = intAt(header, 4);
      int rows = intAt(header, 8);
      int cols = intAt(header, 12);
      if (count < 0 || rows <= 0 || cols <= 0) {
        throw new DataException(
            file + ": invalid IDX images header: " + count + " images of " + rows + "x" + cols);
      }
      long perImage = (long) rows * cols;
      long total = count * perImage;
      if (total > Integer.MAX_VALUE - 16) {
        throw new DataException(
            file
                + ": header declares "
                + count
                + " images of "
                + rows
                + "x"
                + cols
                + ", too large to load ("
                + total
                + " pixels)");
      }
      byte[] data = in.readNBytes((int) total);
      if (data.length < total) {
        long whole = data.length / perImage;
        long partial = data.length % perImage;
        throw new DataException(
            file
                + ": truncated: header declares "
                + count
                + " images of "
                + rows
                + "x"
                + cols
                + " but file holds "
                + whole
                + (partial > 0 ? " and a partial one" : ""));
      }
      checkNoTrailingData(file, in, count + " images of " + rows + "x" + cols);
      float[] pixels = new float[data.length];
      for (int i = 0; i < data.length; i++) {
        pixels[i] = (data[i] & 0xFF) / 255f;
      }
      return new Images(count, rows, cols, pixels);
    } catch (IOException e) {
      throw readFailure(file, e);
    }
  }

  private static int[] readLabels(Path file) {
    try (InputStream in = open(file)) {
      byte[] header = in.readNBytes(8);
      int magic = header.length >= 4 ? intAt(header, 0) : 0;
      checkMagic(file, header, magic, LABELS_MAGIC, "labels");
      if (header.length < 8) {
        throw new DataException(
            file + ": truncated: IDX labels header is " + header.length + " bytes, expected 8");
      }
      int count = intAt(header, 4);
      if (count < 0) {
        throw new DataException(file + ": invalid IDX labels header: count " + count);
      }
      byte[] data = in.readNBytes(count);
      if (data.length < count) {
        throw new DataException(
            file
                + ": truncated: header declares "
                + count
                + " labels but file holds "
                + data.length);
      }
      checkNoTrailingData(file, in, count + " labels");
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = data[i] & 0xFF;
      }
      return labels;
    } catch (IOException e) {
      throw readFailure(file, e);
    }
  }

  private static void checkMagic(Path file, byte[] header, int magic, int expected, String kind) {
    if (header.length < 4) {
      throw new DataException(
          file
              + ": truncated: "
              + header.length
              + " bytes, too short for an IDX "
              + kind
              + " header");
    }
    if (magic != expected) {
      String hint = "";
      if (magic == IMAGES_MAGIC || magic == LABELS_MAGIC) {
        hint =
            " (this looks like an IDX "
                + (magic == IMAGES_MAGIC ? "images" : "labels")
                + " file; are the images and labels files swapped?)";
      }
      throw new DataException(
          file
              + ": bad IDX magic "
              + hex(magic)
              + ", expected "
              + hex(expected)
              + " ("
              + kind
              + ")"
              + hint);
    }
  }

  private static void checkNoTrailingData(Path file, InputStream in, String declared)
      throws IOException {
    if (in.read() != -1) {
      throw new DataException(
          file + ": file holds more data than the header declares (" + declared + ")");
    }
  }

  /** Opens a file, transparently decompressing it if it starts with the gzip magic bytes. */
  private static InputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DataException(
          file + (Files.exists(file) ? ": not a regular file" : ": file does not exist"));
    }
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1F && b1 == 0x8B) {
      return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return in;
  }

  private static DataException readFailure(Path file, IOException e) {
    if (e instanceof EOFException || e instanceof ZipException) {
      return new DataException(
          file + ": truncated or corrupt gzip data (" + e.getMessage() + ")", e);
    }
    return new DataException(file + ": cannot read: " + e, e);
  }

  private static int intAt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  private static String hex(int v) {
    return String.format(Locale.ROOT, "0x%08X", v);
  }
}
