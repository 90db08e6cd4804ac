package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StandardizationTest {

  @Test
  void trainingSetGetsZeroMeanUnitStdPerChannel() {
    DataSplit split = BuiltinDataset.generate(5, 200, 40);
    Standardization std = Standardization.fit(split.train());

    ImageDataset out = std.apply(split.train());

    double[][] stats = channelStats(out);
    for (int c = 0; c < 3; c++) {
      assertEquals(0.0, stats[0][c], 1e-4, "mean of channel " + c);
      assertEquals(1.0, stats[1][c], 1e-4, "std of channel " + c);
    }
  }

  @Test
  void statisticsMatchHandComputedValuesAndApplyToOtherSets() {
    // Two 1x1 images with 2 channels: channel 0 = {1, 3}, channel 1 = {10, 10}.
    ImageDataset train = new ImageDataset(new float[] {1, 10, 3, 10}, new int[] {0, 1}, 1, 1, 2, 2);
    Standardization std = Standardization.fit(train);

    assertArrayEquals(new float[] {2f, 10f}, std.mean(), 1e-6f);
    assertArrayEquals(new float[] {1f, 1f}, std.std(), 1e-6f); // constant channel: std 1

    ImageDataset test = new ImageDataset(new float[] {5, 12}, new int[] {1}, 1, 1, 2, 2);
    assertArrayEquals(new float[] {3f, 2f}, std.apply(test).pixels(), 1e-6f);
    assertArrayEquals(new float[] {5, 12}, test.pixels(), 0f); // input untouched
    assertArrayEquals(new int[] {1}, std.apply(test).labels());
  }

  @Test
  void rejectsChannelMismatch() {
    Standardization std = new Standardization(new float[] {0, 0, 0}, new float[] {1, 1, 1});
    ImageDataset gray = new ImageDataset(new float[] {1}, new int[] {0}, 1, 1, 1, 1);

    assertThrows(IllegalArgumentException.class, () -> std.apply(gray));
  }

  private static double[][] channelStats(ImageDataset d) {
    float[] p = d.pixels();
    int ch = d.channels();
    double[] sum = new double[ch];
    double[] sq = new double[ch];
    for (int i = 0; i < p.length; i++) {
      sum[i % ch] += p[i];
      sq[i % ch] += (double) p[i] * p[i];
    }
    double n = p.length / ch;
    double[] mean = new double[ch];
    double[] std = new double[ch];
    for (int c = 0; c < ch; c++) {
      mean[c] = sum[c] / n;
      std[c] = Math.sqrt(sq[c] / n - mean[c] * mean[c]);
    }
    return new double[][] {mean, std};
  }
}
