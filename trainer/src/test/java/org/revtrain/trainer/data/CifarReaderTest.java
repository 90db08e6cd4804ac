package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

  @TempDir Path dir;

  @Test
  void cifar10RoundTrip() throws IOException {
    CifarFixture.writeCifar10(dir);

    DataSplit split = CifarReader.readCifar10(dir);

    ImageDataset train = split.train();
    assertEquals(10, train.size());
    assertEquals(2, split.test().size());
    assertEquals(32, train.height());
    assertEquals(32, train.width());
    assertEquals(3, train.channels());
    assertEquals(10, train.numClasses());
    for (int f = 0; f < 6; f++) {
      ImageDataset set = f < 5 ? train : split.test();
      for (int r = 0; r < 2; r++) {
        int i = f < 5 ? f * 2 + r : r;
        assertEquals(CifarFixture.label10(f, r), set.label(i));
        assertImage(set, i, f, r);
      }
    }
  }

  @Test
  void findsUnpackedArchiveSubdirectory() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("cifar-10-batches-bin"));
    CifarFixture.writeCifar10(sub);

    assertEquals(10, CifarReader.readCifar10(dir).train().size());
  }

  @Test
  void cifar100RoundTripUsesFineLabel() throws IOException {
    Files.write(dir.resolve("train.bin"), CifarFixture.records(0, new int[][] {{3, 77}, {19, 99}}));
    Files.write(dir.resolve("test.bin"), CifarFixture.records(1, new int[][] {{0, 5}, {1, 42}}));

    DataSplit split = CifarReader.readCifar100(dir);

    assertEquals(100, split.train().numClasses());
    assertArrayEquals(new int[] {77, 99}, split.train().labels());
    assertArrayEquals(new int[] {5, 42}, split.test().labels());
    assertImage(split.train(), 1, 0, 1);
    assertImage(split.test(), 0, 1, 0);
  }

  @Test
  void rejectsTruncatedFile() throws IOException {
    CifarFixture.writeCifar10(dir);
    Path batch = dir.resolve("data_batch_3.bin");
    byte[] b = Files.readAllBytes(batch);
    Files.write(batch, Arrays.copyOf(b, b.length - 100));

    DataException e = assertThrows(DataException.class, () -> CifarReader.readCifar10(dir));

    assertEquals(
        batch
            + ": truncated: 6046 bytes is not a whole number of 3073-byte CIFAR-10 records"
            + " (1 records and 2973 extra bytes)",
        e.getMessage());
  }

  @Test
  void rejectsMissingBatchNamingIt() throws IOException {
    CifarFixture.writeCifar10(dir);
    Files.delete(dir.resolve("data_batch_4.bin"));

    DataException e = assertThrows(DataException.class, () -> CifarReader.readCifar10(dir));

    assertEquals(dir + ": missing file data_batch_4.bin", e.getMessage());
  }

  @Test
  void rejectsLabelOutOfRange() throws IOException {
    Path file = dir.resolve("test.bin");
    Files.write(file, CifarFixture.records(0, new int[][] {{1, 2}, {3, 100}}));

    DataException e =
        assertThrows(
            DataException.class, () -> CifarReader.readFiles(CifarReader.Variant.CIFAR100, file));

    assertEquals(file + ": fine label 100 at record 1 out of range [0, 100)", e.getMessage());
  }

  @Test
  void rejectsCifar10LabelOutOfRange() throws IOException {
    Path file = dir.resolve("b.bin");
    Files.write(file, CifarFixture.records(0, new int[][] {{10}}));

    DataException e =
        assertThrows(
            DataException.class, () -> CifarReader.readFiles(CifarReader.Variant.CIFAR10, file));

    assertTrue(e.getMessage().startsWith(file + ": label 10 at record 0"), e.getMessage());
  }

  private static void assertImage(ImageDataset set, int i, int f, int r) {
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(
              CifarFixture.pixel(f, r, c, y, x) / 255f,
              set.pixel(i, y, x, c),
              0f,
              "file " + f + " record " + r + " at " + y + "," + x + "," + c);
        }
      }
    }
  }
}
