package org.revtrain.trainer.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fraction F of a data set, drawn class by class: of the n_c examples of class c it keeps round(F
 * · n_c), at least one when n_c ≥ 1, chosen by a shuffle seeded by (seed, c), so that the same F
 * and seed always keep the same examples and every class keeps its share. The kept examples stay in
 * their original order.
 */
public final class StratifiedSubsample {

  private static final long SUBSAMPLE_STREAM = 0x5B5A3D1EL;

  private StratifiedSubsample() {}

  /**
   * The kept examples' indices, ascending.
   *
   * @param labels each example's class, in {@code [0, numClasses)}
   * @param numClasses the number of classes
   * @param fraction F in (0, 1]
   * @param seed the seed of the draw
   * @throws IllegalArgumentException if F is not in (0, 1]
   */
  public static int[] indices(int[] labels, int numClasses, double fraction, long seed) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
    }
    int[][] byClass = new int[numClasses][];
    int[] count = new int[numClasses];
    for (int label : labels) {
      count[label]++;
    }
    for (int c = 0; c < numClasses; c++) {
      byClass[c] = new int[count[c]];
      count[c] = 0;
    }
    for (int i = 0; i < labels.length; i++) {
      byClass[labels[i]][count[labels[i]]++] = i;
    }
    int[] kept = new int[labels.length];
    int n = 0;
    for (int c = 0; c < numClasses; c++) {
      int[] members = byClass[c];
      if (members.length == 0) {
        continue;
      }
      int keep = (int) Math.max(1, Math.min(members.length, Math.round(fraction * members.length)));
      SplittableRandom random = new SplittableRandom(Seeds.mix(seed, SUBSAMPLE_STREAM, c));
      for (int k = 0; k < keep; k++) { // partial Fisher–Yates: the first keep are a uniform draw
        int j = k + random.nextInt(members.length - k);
        int t = members[k];
        members[k] = members[j];
        members[j] = t;
      }
      System.arraycopy(members, 0, kept, n, keep);
      n += keep;
    }
    int[] result = Arrays.copyOf(kept, n);
    Arrays.sort(result);
    return result;
  }

  /** The examples of {@code data} that {@link #indices} keeps; {@code data} itself when F = 1. */
  public static ImageDataset of(ImageDataset data, double fraction, long seed) {
    if (fraction == 1) {
      return data;
    }
    return data.subset(indices(data.labels(), data.numClasses(), fraction, seed));
  }
}
