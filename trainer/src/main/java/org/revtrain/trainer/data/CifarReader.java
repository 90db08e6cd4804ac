package org.revtrain.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100.
 *
 * <p>A record is one label byte (CIFAR-10) or a coarse and a fine label byte (CIFAR-100; the fine
 * label is used), followed by 3072 pixel bytes: the 1024 red values, then the 1024 green, then the
 * 1024 blue values of a 32x32 image, each plane row-major. Images are converted to NHWC floats in
 * {@code [0, 1]}. A file whose length is not a whole number of records is reported as truncated;
 * labels are range-checked. All problems are reported as a {@link DataException} naming the file or
 * directory.
 */
public final class CifarReader {

  /** Image height and width of CIFAR images. */
  public static final int SIZE = 32;

  /** Colour channels of CIFAR images. */
  public static final int CHANNELS = 3;

  private static final int PLANE = SIZE * SIZE;
  private static final int PIXEL_BYTES = PLANE * CHANNELS;

  /** The two CIFAR variants, which differ in label bytes, class count and file layout. */
  public enum Variant {
    /** CIFAR-10: one label byte, 10 classes, five training batches and one test batch. */
    CIFAR10(
        "CIFAR-10",
        1,
        10,
        "cifar-10-batches-bin",
        List.of(
            "data_batch_1.bin",
            "data_batch_2.bin",
            "data_batch_3.bin",
            "data_batch_4.bin",
            "data_batch_5.bin"),
        "test_batch.bin"),
    /** CIFAR-100: coarse then fine label byte, 100 fine classes, one training and one test file. */
    CIFAR100("CIFAR-100", 2, 100, "cifar-100-binary", List.of("train.bin"), "test.bin");

    private final String displayName;
    private final int labelBytes;
    private final int numClasses;
    private final String archiveDir;
    private final List<String> trainFiles;
    private final String testFile;

    Variant(
        String displayName,
        int labelBytes,
        int numClasses,
        String archiveDir,
        List<String> trainFiles,
        String testFile) {
      this.displayName = displayName;
      this.labelBytes = labelBytes;
      this.numClasses = numClasses;
      this.archiveDir = archiveDir;
      this.trainFiles = trainFiles;
      this.testFile = testFile;
    }

    /** Bytes per record: label bytes plus 3072 pixel bytes. */
    public int recordSize() {
      return labelBytes + PIXEL_BYTES;
    }

    /** Number of (fine) classes. */
    public int numClasses() {
      return numClasses;
    }

    /** Names of the training files, in reading order. */
    public List<String> trainFiles() {
      return trainFiles;
    }

    /** Name of the test file. */
    public String testFile() {
      return testFile;
    }

    @Override
    public String toString() {
      return displayName;
    }
  }

  private static final int COARSE_CLASSES = 20;

  private CifarReader() {}

  /**
   * Reads a CIFAR-10 directory holding {@code data_batch_1.bin} to {@code data_batch_5.bin} and
   * {@code test_batch.bin} (or whose {@code cifar-10-batches-bin} subdirectory holds them).
   *
   * @throws DataException if the directory or any file is missing or malformed
   */
  public static DataSplit readCifar10(Path dir) {
    return readDirectory(dir, Variant.CIFAR10);
  }

  /**
   * Reads a CIFAR-100 directory holding {@code train.bin} and {@code test.bin} (or whose {@code
   * cifar-100-binary} subdirectory holds them), labelled with the 100 fine classes.
   *
   * @throws DataException if the directory or any file is missing or malformed
   */
  public static DataSplit readCifar100(Path dir) {
    return readDirectory(dir, Variant.CIFAR100);
  }

  /**
   * Reads a CIFAR directory of the given variant. All of the variant's files are required; if none
   * is directly in {@code dir} but the directory the official archive unpacks to is, that one is
   * used.
   *
   * @throws DataException naming the missing or malformed file
   */
  public static DataSplit readDirectory(Path dir, Variant variant) {
    DataDirectory d = DataDirectory.open(dir);
    if (!d.has(variant.testFile) && Files.isDirectory(dir.resolve(variant.archiveDir))) {
      d = DataDirectory.open(dir.resolve(variant.archiveDir));
    }
    Path[] train = new Path[variant.trainFiles.size()];
    for (int i = 0; i < train.length; i++) {
      train[i] = d.require(variant.trainFiles.get(i));
    }
    Path test = d.require(variant.testFile);
    return new DataSplit(readFiles(variant, train), readFiles(variant, test));
  }

  /**
   * Reads and concatenates CIFAR binary files of one variant.
   *
   * @param variant which record layout the files use
   * @param files the files, in order
   * @return all their records as one data set
   * @throws DataException naming a missing, truncated or otherwise malformed file
   */
  public static ImageDataset readFiles(Variant variant, Path... files) {
    int recordSize = variant.recordSize();
    long[] counts = new long[files.length];
    long total = 0;
    for (int f = 0; f < files.length; f++) {
      long length = sizeOf(files[f]);
      if (length == 0) {
        throw new DataException(files[f] + ": empty file (no " + variant + " records)");
      }
      if (length % recordSize != 0) {
        throw new DataException(
            files[f]
                + ": truncated: "
                + length
                + " bytes is not a whole number of "
                + recordSize
                + "-byte "
                + variant
                + " records ("
                + length / recordSize
                + " records and "
                + length % recordSize
                + " extra bytes)");
      }
      counts[f] = length / recordSize;
      total += counts[f];
    }
    if (total * PIXEL_BYTES > Integer.MAX_VALUE) {
      throw new DataException(files[0] + ": too many records to load (" + total + ")");
    }
    int n = (int) total;
    float[] pixels = new float[n * PIXEL_BYTES];
    int[] labels = new int[n];
    int next = 0;
    byte[] record = new byte[recordSize];
    for (int f = 0; f < files.length; f++) {
      try (InputStream in = Files.newInputStream(files[f])) {
        for (long r = 0; r < counts[f]; r++, next++) {
          if (in.readNBytes(record, 0, recordSize) != recordSize) {
            throw new DataException(
                files[f] + ": truncated: file shrank while reading record " + r);
          }
          labels[next] = label(files[f], variant, record, r);
          decode(record, variant.labelBytes, pixels, next * PIXEL_BYTES);
        }
      } catch (IOException e) {
        throw new DataException(files[f] + ": cannot read: " + e, e);
      }
    }
    return ImageDataset.adopt(pixels, labels, SIZE, SIZE, CHANNELS, variant.numClasses);
  }

  private static int label(Path file, Variant variant, byte[] record, long index) {
    if (variant == Variant.CIFAR100) {
      int coarse = record[0] & 0xFF;
      if (coarse >= COARSE_CLASSES) {
        throw new DataException(
            file
                + ": coarse label "
                + coarse
                + " at record "
                + index
                + " out of range [0, "
                + COARSE_CLASSES
                + ")");
      }
    }
    int label = record[variant.labelBytes - 1] & 0xFF;
    if (label >= variant.numClasses) {
      throw new DataException(
          file
              + ": "
              + (variant == Variant.CIFAR100 ? "fine label " : "label ")
              + label
              + " at record "
              + index
              + " out of range [0, "
              + variant.numClasses
              + ")");
    }
    return label;
  }

  /** Converts one record's planar RGB bytes to interleaved HWC floats in [0, 1]. */
  private static void decode(byte[] record, int offset, float[] dst, int dstOffset) {
    for (int p = 0; p < PLANE; p++) {
      int o = dstOffset + p * CHANNELS;
      for (int c = 0; c < CHANNELS; c++) {
        dst[o + c] = (record[offset + c * PLANE + p] & 0xFF) / 255f;
      }
    }
  }

  private static long sizeOf(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DataException(
          file + (Files.exists(file) ? ": not a regular file" : ": file does not exist"));
    }
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new DataException(file + ": cannot read: " + e, e);
    }
  }
}
