package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BuiltinDatasetTest {

  @Test
  void sameSeedGivesBitIdenticalData() {
    DataSplit a = BuiltinDataset.generate(7, 300, 50);
    DataSplit b = BuiltinDataset.generate(7, 300, 50);

    assertArrayEquals(a.train().pixels(), b.train().pixels());
    assertArrayEquals(a.train().labels(), b.train().labels());
    assertArrayEquals(a.test().pixels(), b.test().pixels());
  }

  @Test
  void differentSeedGivesDifferentData() {
    DataSplit a = BuiltinDataset.generate(7, 100, 10);
    DataSplit b = BuiltinDataset.generate(8, 100, 10);

    assertFalse(Arrays.equals(a.train().pixels(), b.train().pixels()));
    assertFalse(Arrays.equals(a.test().pixels(), b.test().pixels()));
  }

  @Test
  void trainAndTestAreDifferentExamples() {
    DataSplit s = BuiltinDataset.generate(7, 10, 10);

    assertFalse(Arrays.equals(s.train().image(0), s.test().image(0)));
  }

  @Test
  void exampleDoesNotDependOnSetSize() {
    ImageDataset small = BuiltinDataset.generate(3, 20, 0).train();
    ImageDataset large = BuiltinDataset.generate(3, 40, 0).train();

    assertArrayEquals(small.pixels(), large.head(20).pixels());
  }

  @Test
  void hasShapeRangeAndBalancedClasses() {
    DataSplit s = BuiltinDataset.generate(1, 1000, 200);

    ImageDataset train = s.train();
    assertEquals(32, train.height());
    assertEquals(32, train.width());
    assertEquals(3, train.channels());
    assertEquals(10, train.numClasses());
    assertEquals(200, s.test().size());
    int[] counts = train.classCounts();
    for (int c = 0; c < 10; c++) {
      assertEquals(100, counts[c], "class " + c);
    }
    for (float v : train.pixels()) {
      assertTrue(v >= 0f && v <= 1f, "pixel " + v);
    }
  }

  @Test
  void defaultSizes() {
    assertEquals(5000, BuiltinDataset.DEFAULT_TRAIN_SIZE);
    assertEquals(1000, BuiltinDataset.DEFAULT_TEST_SIZE);
  }

  /**
   * The classes carry signal (a nearest-class-mean classifier beats chance by far) but are not
   * trivially separable (it stays well below 100%).
   */
  @Test
  void isLearnableButNotTrivial() {
    DataSplit s = BuiltinDataset.generate(BuiltinDataset.DEFAULT_SEED, 2000, 500);
    ImageDataset train = s.train();
    int d = train.imageSize();
    double[][] means = new double[10][d];
    for (int i = 0; i < train.size(); i++) {
      float[] img = train.image(i);
      for (int k = 0; k < d; k++) {
        means[train.label(i)][k] += img[k];
      }
    }
    int[] counts = train.classCounts();
    for (int c = 0; c < 10; c++) {
      for (int k = 0; k < d; k++) {
        means[c][k] /= counts[c];
      }
    }
    int correct = 0;
    ImageDataset test = s.test();
    for (int i = 0; i < test.size(); i++) {
      float[] img = test.image(i);
      int best = -1;
      double bestDist = Double.MAX_VALUE;
      for (int c = 0; c < 10; c++) {
        double dist = 0;
        for (int k = 0; k < d; k++) {
          double e = img[k] - means[c][k];
          dist += e * e;
        }
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      if (best == test.label(i)) {
        correct++;
      }
    }
    double accuracy = (double) correct / test.size();
    assertTrue(accuracy > 0.2, "nearest-mean accuracy " + accuracy + " is near chance");
    assertTrue(accuracy < 0.8, "nearest-mean accuracy " + accuracy + " is too easy");
  }
}
