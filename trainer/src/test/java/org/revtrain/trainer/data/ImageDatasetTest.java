package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageDatasetTest {

  private static ImageDataset threeImages() {
    // 3 images of 1x2x1: image i = (10 i, 10 i + 1), labels 2, 0, 1.
    return new ImageDataset(new float[] {0, 1, 10, 11, 20, 21}, new int[] {2, 0, 1}, 1, 2, 1, 3);
  }

  @Test
  void accessorsAndCopies() {
    ImageDataset d = threeImages();

    assertEquals(3, d.size());
    assertEquals(2, d.imageSize());
    assertEquals(21f, d.pixel(2, 0, 1, 0));
    float[] buf = new float[5];
    d.copyImage(1, buf, 3);
    assertArrayEquals(new float[] {0, 0, 0, 10, 11}, buf);
    d.pixels()[0] = 99;
    d.labels()[0] = 1;
    assertEquals(0f, d.pixel(0, 0, 0, 0));
    assertEquals(2, d.label(0));
  }

  @Test
  void constructorCopiesInput() {
    float[] p = {1, 2};
    int[] l = {0};
    ImageDataset d = new ImageDataset(p, l, 1, 1, 2, 1);
    p[0] = 5;
    l[0] = 7;

    assertEquals(1f, d.pixel(0, 0, 0, 0));
    assertEquals(0, d.label(0));
  }

  @Test
  void subsetPicksExamplesInGivenOrder() {
    ImageDataset s = threeImages().subset(new int[] {2, 0, 2});

    assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21}, s.pixels());
    assertArrayEquals(new int[] {1, 2, 1}, s.labels());
    assertArrayEquals(new int[] {0, 2, 1}, s.classCounts());
  }

  @Test
  void rejectsInconsistentInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ImageDataset(new float[5], new int[] {0, 0, 0}, 1, 2, 1, 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ImageDataset(new float[2], new int[] {3}, 1, 2, 1, 3));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new DataSplit(
                threeImages(), new ImageDataset(new float[2], new int[] {0}, 2, 1, 1, 3)));
  }
}
