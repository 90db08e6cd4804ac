package org.revtrain.reversible;

/**
 * How a unit's gradient is computed.
 *
 * <ul>
 *   <li>{@link Stored}: plain autodiff through an unrolled graph; every activation is kept (the
 *       baseline; memory and graph size grow with depth).
 *   <li>{@link Reversible}: only the unit's output is kept; the backward pass rebuilds each block's
 *       input by {@code inverse}, from the top, and takes that block's vector-Jacobian product.
 *   <li>{@link Checkpoint}: as {@link Reversible}, but the input of every k-th block is stored and
 *       replaces the reconstruction there, bounding reconstruction drift at O(n/k) memory.
 * </ul>
 */
public sealed interface GradientMode
    permits GradientMode.Stored, GradientMode.Reversible, GradientMode.Checkpoint {

  /** Plain autodiff with stored activations. */
  record Stored() implements GradientMode {
    @Override
    public String toString() {
      return "stored";
    }
  }

  /** Reconstruct every block input by inversion. */
  record Reversible() implements GradientMode {
    @Override
    public String toString() {
      return "reversible";
    }
  }

  /**
   * Store the input of every {@code every}-th block, reconstruct in between.
   *
   * @param every the checkpoint interval k, at least 1
   */
  record Checkpoint(int every) implements GradientMode {
    /**
     * Checks the interval.
     *
     * @param every the checkpoint interval k, at least 1
     */
    public Checkpoint {
      if (every < 1) {
        throw new IllegalArgumentException(
            "checkpoint interval must be at least 1, got " + every + " (use checkpoint:K, K >= 1)");
      }
    }

    @Override
    public String toString() {
      return "checkpoint:" + every;
    }
  }

  /** {@return STORED: every block's activations kept, plain autodiff} */
  static GradientMode stored() {
    return new Stored();
  }

  /** {@return REVERSIBLE: every block's input rebuilt by its inverse, nothing stored} */
  static GradientMode reversible() {
    return new Reversible();
  }

  /**
   * CHECKPOINT(k): every k-th block's input stored, the others rebuilt by the inverse from there.
   *
   * @param every k, at least 1
   * @return the mode
   */
  static GradientMode checkpoint(int every) {
    return new Checkpoint(every);
  }

  /**
   * Parses {@code stored}, {@code reversible} or {@code checkpoint:K}.
   *
   * @param text the mode's name, in any case
   * @return the mode
   * @throws IllegalArgumentException naming the accepted forms
   */
  static GradientMode parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("stored")) {
      return stored();
    }
    if (t.equals("reversible")) {
      return reversible();
    }
    if (t.startsWith("checkpoint:")) {
      try {
        return checkpoint(Integer.parseInt(t.substring("checkpoint:".length())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "bad mode '" + text + "': checkpoint interval must be an integer, e.g. checkpoint:4");
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '" + text + "': expected stored, reversible or checkpoint:K");
  }
}
