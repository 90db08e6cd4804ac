package org.revtrain.reversible;

/**
 * The rule for step sizes h_j of a unit's blocks, in one place: each is a finite number > 0, and a
 * unit of n blocks has n of them.
 */
public final class StepSizes {
  private StepSizes() {}

  /**
   * Returns {@code h} if it is a valid step size.
   *
   * @param h a step size: finite and &gt; 0
   * @return {@code h}
   * @throws IllegalArgumentException otherwise, saying what a step size must be
   */
  public static double require(double h) {
    return require(h, -1);
  }

  /**
   * Returns a copy of {@code h} if every element is a valid step size and there are {@code blocks}
   * of them.
   *
   * @param h the step sizes h_0 … h_{n−1}
   * @param blocks the number of blocks they are for, or −1 for any number
   * @return a copy of {@code h}
   * @throws IllegalArgumentException naming the first invalid h_j, or the counts that differ
   */
  public static double[] require(double[] h, int blocks) {
    for (int j = 0; j < h.length; j++) {
      require(h[j], j);
    }
    if (blocks >= 0 && h.length != blocks) {
      throw new IllegalArgumentException(
          h.length + " step sizes given for " + blocks + " blocks: give one per block");
    }
    return h.clone();
  }

  private static double require(double h, int j) {
    if (!(h > 0) || Double.isInfinite(h)) {
      throw new IllegalArgumentException(
          "step size "
              + (j >= 0 ? "h_" + j + " " : "h ")
              + "must be a finite number > 0, got "
              + h);
    }
    return h;
  }
}
