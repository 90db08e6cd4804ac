package org.revtrain.trainer.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files (and raw byte variants of them) for the reader tests. */
final class IdxFixture {

  private IdxFixture() {}

  /**
   * The bytes of an idx3-ubyte images file whose pixel {@code k} of image {@code i} is {@code (i *
   * 7 + k) % 256}.
   */
  static byte[] images(int count, int rows, int cols) {
    ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < rows * cols; k++) {
        b.put((byte) pixel(i, k));
      }
    }
    return b.array();
  }

  /** Expected unsigned pixel byte of {@link #images}. */
  static int pixel(int image, int k) {
    return (image * 7 + k) % 256;
  }

  /** The bytes of an idx1-ubyte labels file holding the given labels. */
  static byte[] labels(int... labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.array();
  }

  /** Writes bytes to {@code dir/name}, gzip-compressed if {@code name} ends in {@code .gz}. */
  static Path write(Path dir, String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, name.endsWith(".gz") ? gzip(bytes) : bytes);
    return file;
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  /** Writes a complete MNIST-layout directory with {@code nTrain} and {@code nTest} 4x3 images. */
  static void writeDirectory(Path dir, int nTrain, int nTest, boolean gzip) throws IOException {
    String ext = gzip ? ".gz" : "";
    write(dir, IdxReader.TRAIN_IMAGES + ext, images(nTrain, 4, 3));
    write(dir, IdxReader.TRAIN_LABELS + ext, labels(cycle(nTrain)));
    write(dir, IdxReader.TEST_IMAGES + ext, images(nTest, 4, 3));
    write(dir, IdxReader.TEST_LABELS + ext, labels(cycle(nTest)));
  }

  /** Labels {@code (3 i) % 10}: 0, 3, 6, 9, 2, 5, ... */
  static int[] cycle(int n) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = (i * 3) % 10;
    }
    return l;
  }
}
