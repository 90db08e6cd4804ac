package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void roundTripsDirectory(boolean gzip) throws IOException {
    IdxFixture.writeDirectory(dir, 7, 5, gzip);

    DataSplit split = IdxReader.readDirectory(dir);

    ImageDataset train = split.train();
    assertEquals(7, train.size());
    assertEquals(5, split.test().size());
    assertEquals(4, train.height());
    assertEquals(3, train.width());
    assertEquals(1, train.channels());
    assertEquals(10, train.numClasses());
    assertArrayEquals(IdxFixture.cycle(7), train.labels());
    assertArrayEquals(IdxFixture.cycle(5), split.test().labels());
    for (int i = 0; i < 7; i++) {
      for (int k = 0; k < 12; k++) {
        assertEquals(
            IdxFixture.pixel(i, k) / 255f, train.pixel(i, k / 3, k % 3, 0), 0f, "image " + i);
      }
    }
  }

  @Test
  void detectsGzipByContentNotName() throws IOException {
    Path images = dir.resolve("imgs.bin");
    Files.write(images, IdxFixture.gzip(IdxFixture.images(2, 2, 2)));
    Path labels = IdxFixture.write(dir, "labels.gz", IdxFixture.labels(3, 4));
    Path plainLabels = dir.resolve("plain.gz");
    Files.write(plainLabels, IdxFixture.labels(3, 4)); // named .gz but not compressed

    assertArrayEquals(new int[] {3, 4}, IdxReader.read(images, labels, 10).labels());
    assertArrayEquals(new int[] {3, 4}, IdxReader.read(images, plainLabels, 10).labels());
  }

  @Test
  void pixelsAreScaledToUnitInterval() throws IOException {
    byte[] img = IdxFixture.images(1, 1, 3);
    img[16] = 0;
    img[17] = (byte) 255;
    img[18] = (byte) 51;
    Path images = IdxFixture.write(dir, "i", img);
    Path labels = IdxFixture.write(dir, "l", IdxFixture.labels(0));

    float[] p = IdxReader.read(images, labels, 10).pixels();

    assertArrayEquals(new float[] {0f, 1f, 0.2f}, p, 1e-7f);
  }

  @Test
  void rejectsBadImagesMagic() throws IOException {
    byte[] img = IdxFixture.images(2, 2, 2);
    img[2] = 0x09;
    img[3] = (byte) 0x99;
    Path images = IdxFixture.write(dir, IdxReader.TRAIN_IMAGES + ".gz", img);
    Path labels = IdxFixture.write(dir, IdxReader.TRAIN_LABELS, IdxFixture.labels(1, 2));

    DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

    assertEquals(
        images + ": bad IDX magic 0x00000999, expected 0x00000803 (images)", e.getMessage());
  }

  @Test
  void rejectsSwappedFilesWithHint() throws IOException {
    Path images = IdxFixture.write(dir, "i", IdxFixture.images(2, 2, 2));
    Path labels = IdxFixture.write(dir, "l", IdxFixture.labels(1, 2));

    DataException e = assertThrows(DataException.class, () -> IdxReader.read(labels, images, 10));

    assertTrue(
        e.getMessage()
            .startsWith(images + ": bad IDX magic 0x00000803, expected 0x00000801 (labels)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("swapped"), e.getMessage());
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void rejectsTruncatedImagesFile(boolean gzip) throws IOException {
    byte[] full = IdxFixture.images(10, 2, 2);
    byte[] cut = Arrays.copyOf(full, 16 + 9 * 4);
    String name = IdxReader.TEST_IMAGES + (gzip ? ".gz" : "");
    Path images = IdxFixture.write(dir, name, cut);
    Path labels = IdxFixture.write(dir, "l", IdxFixture.labels(IdxFixture.cycle(10)));

    DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

    assertEquals(
        images + ": truncated: header declares 10 images of 2x2 but file holds 9", e.getMessage());
  }

  @Test
  void rejectsCutGzipStream() throws IOException {
    byte[] gz = IdxFixture.gzip(IdxFixture.images(50, 8, 8));
    Path images = dir.resolve("i.gz");
    Files.write(images, Arrays.copyOf(gz, gz.length / 2));
    Path labels = IdxFixture.write(dir, "l", IdxFixture.labels(IdxFixture.cycle(50)));

    DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

    assertTrue(e.getMessage().startsWith(images + ": truncated"), e.getMessage());
  }

  @Test
  void rejectsTruncatedLabelsFile() throws IOException {
    byte[] full = IdxFixture.labels(IdxFixture.cycle(10));
    Path labels = IdxFixture.write(dir, IdxReader.TEST_LABELS, Arrays.copyOf(full, 8 + 9));
    Path images = IdxFixture.write(dir, "i", IdxFixture.images(10, 2, 2));

    DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

    assertEquals(
        labels + ": truncated: header declares 10 labels but file holds 9", e.getMessage());
  }

  @Test
  void rejectsFileShorterThanHeader() throws IOException {
    Path labels = IdxFixture.write(dir, "l", new byte[] {0, 0, 8});
    Path images = IdxFixture.write(dir, "i", IdxFixture.images(1, 2, 2));

    DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

    assertTrue(e.getMessage().startsWith(labels + ": truncated"), e.getMessage());
  }

  @Test
  void rejectsTrailingData() throws IOException {
    byte[] full = IdxFixture.labels(1, 2);
    Path labels = IdxFixture.write(dir, "l", Arrays.copyOf(full, full.length + 1));
    Path images = IdxFixture.write(dir, "i", IdxFixture.images(2, 2, 2));

    DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

    assertTrue(e.getMessage().startsWith(labels + ": file holds more data"), e.getMessage());
  }

  @Test
  void rejectsLabelOutOfRange() throws IOException {
    Path labels = IdxFixture.write(dir, "labels", IdxFixture.labels(1, 2, 3, 4, 5, 12, 0));
    Path images = IdxFixture.write(dir, "images", IdxFixture.images(7, 2, 2));

    DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

    assertEquals(labels + ": label 12 at index 5 out of range [0, 10)", e.getMessage());
  }

  @Test
  void rejectsCountMismatch() throws IOException {
    Path labels = IdxFixture.write(dir, "labels", IdxFixture.labels(1, 2, 3));
    Path images = IdxFixture.write(dir, "images", IdxFixture.images(4, 2, 2));

    DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

    assertEquals(images + ": holds 4 images but labels file labels holds 3 labels", e.getMessage());
  }

  @Test
  void rejectsMissingDirectory() {
    Path missing = dir.resolve("x").resolve("y");

    DataException e = assertThrows(DataException.class, () -> IdxReader.readDirectory(missing));

    assertEquals(missing + ": data directory does not exist", e.getMessage());
  }

  @Test
  void rejectsMissingFileInDirectory() throws IOException {
    IdxFixture.writeDirectory(dir, 3, 3, true);
    Files.delete(dir.resolve(IdxReader.TEST_LABELS + ".gz"));

    DataException e = assertThrows(DataException.class, () -> IdxReader.readDirectory(dir));

    assertEquals(
        dir + ": missing file t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz)",
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void takesTheNumberOfClassesFromTheTrainingLabels() throws IOException {
    int[] letters = new int[52];
    for (int i = 0; i < letters.length; i++) {
      letters[i] = i % 26;
    }
    IdxFixture.write(dir, IdxReader.TRAIN_IMAGES, IdxFixture.images(52, 4, 3));
    IdxFixture.write(dir, IdxReader.TRAIN_LABELS, IdxFixture.labels(letters));
    IdxFixture.write(dir, IdxReader.TEST_IMAGES + ".gz", IdxFixture.images(3, 4, 3));
    IdxFixture.write(dir, IdxReader.TEST_LABELS + ".gz", IdxFixture.labels(25, 0, 13));

    DataSplit split = IdxReader.readDirectory(dir);

    assertEquals(26, split.train().numClasses());
    assertEquals(26, split.test().numClasses());
    assertArrayEquals(letters, split.train().labels());
    assertArrayEquals(new int[] {25, 0, 13}, split.test().labels());
  }

  @Test
  void rejectsATestLabelTheTrainingLabelsDoNotName() throws IOException {
    IdxFixture.writeDirectory(dir, 10, 3, false);
    Path testLabels = IdxFixture.write(dir, IdxReader.TEST_LABELS, IdxFixture.labels(1, 10, 2));

    DataException e = assertThrows(DataException.class, () -> IdxReader.readDirectory(dir));

    assertEquals(testLabels + ": label 10 at index 1 out of range [0, 10)", e.getMessage());
  }

  @Test
  void rejectsTrainingLabelsOfOneClass() throws IOException {
    IdxFixture.writeDirectory(dir, 3, 3, false);
    Path labels = IdxFixture.write(dir, IdxReader.TRAIN_LABELS, IdxFixture.labels(0, 0, 0));

    DataException e = assertThrows(DataException.class, () -> IdxReader.readDirectory(dir));

    assertEquals(
        labels + ": every label is 0; a classifier needs at least two classes", e.getMessage());
  }

  @ParameterizedTest(name = "empty training set={0}")
  @ValueSource(booleans = {true, false})
  void rejectsAnEmptySet(boolean training) throws IOException {
    IdxFixture.writeDirectory(dir, 5, 5, false);
    String images = training ? IdxReader.TRAIN_IMAGES : IdxReader.TEST_IMAGES;
    IdxFixture.write(dir, images, IdxFixture.images(0, 4, 3));
    IdxFixture.write(
        dir, training ? IdxReader.TRAIN_LABELS : IdxReader.TEST_LABELS, IdxFixture.labels());

    DataException e = assertThrows(DataException.class, () -> IdxReader.readDirectory(dir));

    assertEquals(
        dir.resolve(images) + ": holds no images; a data set needs at least one", e.getMessage());
  }
}
