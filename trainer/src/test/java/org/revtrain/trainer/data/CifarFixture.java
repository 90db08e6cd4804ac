package org.revtrain.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small CIFAR binary files for the reader tests. */
final class CifarFixture {

  private CifarFixture() {}

  /**
   * Planar byte of record {@code r} in file {@code f}, channel {@code c}, row {@code y}, column
   * {@code x}: every value differs between neighbouring positions, channels, records and files.
   */
  static int pixel(int f, int r, int c, int y, int x) {
    return (f * 31 + r * 17 + c * 101 + y * 5 + x * 3) % 256;
  }

  /**
   * Bytes of {@code records} records; {@code labels} has 1 (CIFAR-10) or 2 (CIFAR-100) bytes each.
   */
  static byte[] records(int f, int[][] labels) {
    int labelBytes = labels[0].length;
    int size = labelBytes + 3072;
    byte[] b = new byte[labels.length * size];
    for (int r = 0; r < labels.length; r++) {
      int o = r * size;
      for (int k = 0; k < labelBytes; k++) {
        b[o + k] = (byte) labels[r][k];
      }
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            b[o + labelBytes + c * 1024 + y * 32 + x] = (byte) pixel(f, r, c, y, x);
          }
        }
      }
    }
    return b;
  }

  /** CIFAR-10 label of record {@code r} of file {@code f}. */
  static int label10(int f, int r) {
    return (f * 2 + r) % 10;
  }

  /** Writes the six CIFAR-10 files with two records each; the test batch is file index 5. */
  static void writeCifar10(Path dir) throws IOException {
    for (int f = 0; f < 6; f++) {
      String name = f < 5 ? "data_batch_" + (f + 1) + ".bin" : "test_batch.bin";
      Files.write(dir.resolve(name), records(f, new int[][] {{label10(f, 0)}, {label10(f, 1)}}));
    }
  }
}
