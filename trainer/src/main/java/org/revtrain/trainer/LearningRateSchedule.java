package org.revtrain.trainer;

import java.util.Arrays;
import java.util.Locale;

/**
 * The learning rate η_s of step s = 0 … S−1 of a run of S steps, from the base rate η_0.
 *
 * <ul>
 *   <li>{@link StepDecay}: η_s = η_0 · 0.1^k, k the number of boundaries b_i with s ≥ b_i·S. Chang
 *       et al.'s CIFAR schedule (0.1 → 0.01 at 40k of 80k iterations → 0.001 at 60k) is the
 *       default, boundaries (0.5, 0.75).
 *   <li>{@link Cosine}: η_s = η_0 · (1 + cos(π s / S)) / 2.
 *   <li>{@link Constant}: η_s = η_0.
 * </ul>
 *
 * A schedule is a pure function of (s, S): a resumed run continues it exactly.
 */
public sealed interface LearningRateSchedule
    permits LearningRateSchedule.StepDecay,
        LearningRateSchedule.Cosine,
        LearningRateSchedule.Constant {

  /** The learning rate of step {@code step} (0-based) of {@code totalSteps}. */
  double rate(double base, long step, long totalSteps);

  /** The name used in {@code config.json} and by {@link #parse}. */
  String id();

  /** The default: step decay by 0.1 at 50% and 75% of the run. */
  static LearningRateSchedule standard() {
    return new StepDecay(new double[] {0.5, 0.75});
  }

  /**
   * Parses {@code step} (boundaries 0.5, 0.75), {@code step:F1,F2,...} (fractions of the run in (0,
   * 1)), {@code cosine} or {@code constant}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  static LearningRateSchedule parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("step")) {
      return standard();
    }
    if (t.equals("cosine")) {
      return new Cosine();
    }
    if (t.equals("constant")) {
      return new Constant();
    }
    if (t.startsWith("step:")) {
      try {
        double[] f =
            Arrays.stream(t.substring(5).split(",")).mapToDouble(Double::parseDouble).toArray();
        return new StepDecay(f);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "bad schedule '" + text + "': step boundaries must be numbers, e.g. step:0.5,0.75");
      }
    }
    throw new IllegalArgumentException(
        "unknown schedule '" + text + "': expected step, step:F1,F2,..., cosine or constant");
  }

  /**
   * Multiplies the rate by 0.1 at each boundary.
   *
   * @param boundaries increasing fractions of the run in (0, 1)
   */
  record StepDecay(double[] boundaries) implements LearningRateSchedule {
    /** Checks that the boundaries increase within (0, 1). */
    public StepDecay {
      boundaries = boundaries.clone();
      for (int i = 0; i < boundaries.length; i++) {
        if (!(boundaries[i] > 0 && boundaries[i] < 1)
            || (i > 0 && boundaries[i] <= boundaries[i - 1])) {
          throw new IllegalArgumentException(
              "step schedule boundaries must increase within (0, 1), got "
                  + Arrays.toString(boundaries));
        }
      }
    }

    @Override
    public double rate(double base, long step, long totalSteps) {
      double r = base;
      for (double b : boundaries) {
        if (step >= Math.round(b * totalSteps)) {
          r *= 0.1;
        }
      }
      return r;
    }

    @Override
    public String id() {
      if (Arrays.equals(boundaries, new double[] {0.5, 0.75})) {
        return "step";
      }
      StringBuilder s = new StringBuilder("step:");
      for (int i = 0; i < boundaries.length; i++) {
        s.append(i > 0 ? "," : "").append(boundaries[i]);
      }
      return s.toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StepDecay d && Arrays.equals(boundaries, d.boundaries);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(boundaries);
    }

    @Override
    public String toString() {
      return id();
    }
  }

  /** Half a cosine period from η_0 down to 0. */
  record Cosine() implements LearningRateSchedule {
    @Override
    public double rate(double base, long step, long totalSteps) {
      return base * 0.5 * (1 + Math.cos(Math.PI * step / Math.max(1, totalSteps)));
    }

    @Override
    public String id() {
      return "cosine";
    }
  }

  /** The base rate throughout. */
  record Constant() implements LearningRateSchedule {
    @Override
    public double rate(double base, long step, long totalSteps) {
      return base;
    }

    @Override
    public String id() {
      return "constant";
    }
  }
}
