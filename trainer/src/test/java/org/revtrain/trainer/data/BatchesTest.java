package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchesTest {

  /** 23 1x1x2 images; image i holds (i, -i) and label i % 5, so contents identify the example. */
  private static ImageDataset numbered(int n) {
    float[] p = new float[n * 2];
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      p[2 * i] = i;
      p[2 * i + 1] = -i;
      l[i] = i % 5;
    }
    return new ImageDataset(p, l, 1, 1, 2, 5);
  }

  @Test
  void shuffledDropsIncompleteBatchAndVisitsDistinctExamples() {
    Batches b = Batches.shuffled(numbered(23), 5, 42);
    assertEquals(4, b.batchCount());

    Set<Integer> seen = new HashSet<>();
    float[] images = new float[b.imageBufferSize()];
    int[] labels = new int[5];
    for (int k = 0; k < b.batchCount(); k++) {
      assertEquals(5, b.fill(0, k, images, labels));
      for (int j = 0; j < 5; j++) {
        int example = (int) images[2 * j];
        assertEquals(-example, images[2 * j + 1], 0f);
        assertEquals(example % 5, labels[j]);
        seen.add(example);
      }
    }
    assertEquals(20, seen.size());
  }

  @Test
  void epochsAreShuffledDifferentlyAndSeedsMatter() {
    Batches b = Batches.shuffled(numbered(100), 10, 42);

    int[] e0 = b.order(0);
    assertFalse(Arrays.equals(e0, b.order(1)));
    assertFalse(Arrays.equals(e0, Batches.shuffled(numbered(100), 10, 43).order(0)));
    int[] identity = new int[100];
    Arrays.setAll(identity, i -> i);
    assertFalse(Arrays.equals(e0, identity));
    int[] sorted = e0.clone();
    Arrays.sort(sorted);
    assertArrayEquals(identity, sorted);
  }

  @Test
  void batchIsPureFunctionOfSeedEpochAndIndex() {
    ImageDataset data = numbered(103);
    Batches uninterrupted = Batches.shuffled(data, 8, 7);
    float[][][] images = new float[3][uninterrupted.batchCount()][];
    int[][][] labels = new int[3][uninterrupted.batchCount()][];
    for (int e = 0; e < 3; e++) {
      for (int k = 0; k < uninterrupted.batchCount(); k++) {
        images[e][k] = new float[uninterrupted.imageBufferSize()];
        labels[e][k] = new int[8];
        uninterrupted.fill(e, k, images[e][k], labels[e][k]);
      }
    }

    // A "resumed" run: a fresh instance that jumps straight to epoch 2, batch 5, then to epoch 1.
    Batches resumed = Batches.shuffled(data, 8, 7);
    float[] img = new float[resumed.imageBufferSize()];
    int[] lab = new int[8];
    for (int[] eb : new int[][] {{2, 5}, {2, 6}, {1, 0}, {2, 5}, {0, 11}}) {
      resumed.fill(eb[0], eb[1], img, lab);
      assertArrayEquals(images[eb[0]][eb[1]], img, "epoch " + eb[0] + " batch " + eb[1]);
      assertArrayEquals(labels[eb[0]][eb[1]], lab, "epoch " + eb[0] + " batch " + eb[1]);
    }
    assertFalse(Arrays.equals(images[0][0], images[1][0]));
  }

  @Test
  void batchRandomIsReproducible() {
    Batches b = Batches.shuffled(numbered(10), 2, 5);

    assertEquals(
        b.random(3, 1).nextLong(), Batches.shuffled(numbered(10), 2, 5).random(3, 1).nextLong());
    assertNotEquals(b.random(3, 1).nextLong(), b.random(3, 2).nextLong());
    assertNotEquals(b.random(3, 1).nextLong(), b.random(4, 1).nextLong());
  }

  @Test
  void sequentialCoversAllExamplesInOrderWithSmallerLastBatch() {
    ImageDataset data = numbered(23);
    Batches b = Batches.sequential(data, 10);
    assertEquals(3, b.batchCount());
    assertEquals(3, b.batchLength(2));

    float[] images = new float[b.imageBufferSize()];
    int[] labels = new int[10];
    int next = 0;
    for (int k = 0; k < b.batchCount(); k++) {
      int n = b.fill(0, k, images, labels);
      for (int j = 0; j < n; j++, next++) {
        assertEquals(next, images[2 * j], 0f);
        assertEquals(next % 5, labels[j]);
      }
    }
    assertEquals(23, next);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> Batches.shuffled(numbered(5), 0, 1));
    Batches b = Batches.shuffled(numbered(20), 5, 1);
    assertThrows(IndexOutOfBoundsException.class, () -> b.fill(0, 4, new float[10], new int[5]));
    assertThrows(IllegalArgumentException.class, () -> b.fill(0, 0, new float[9], new int[5]));
  }
}
