package org.revtrain.models.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.revtrain.reversible.GradientMode;

/**
 * Chooses each unit's gradient mode: the assignment with the least {@link
 * MemoryModel#relativeCompute relative compute} whose predicted peak fits a budget (ties: the
 * smaller peak). With a generous budget every unit is STORED, with a tight one every unit
 * reconstructs; in between the units whose stored activations cost most (the bottom ones, at full
 * image size) reconstruct first. A plan fits when its predicted peak plus {@value
 * #ALLOWANCE_PERCENT}% is within the budget: the allocator's peak of the same step differs by up to
 * 5% from session to session, and the model's predictions by up to 5% from the measured peaks.
 * Every assignment is tried for networks of up to {@value #EXHAUSTIVE_UNITS} units; deeper stacks
 * of units try the bottom-up prefixes only.
 */
public final class Planner {
  static final int EXHAUSTIVE_UNITS = 12;

  /** What a plan's predicted peak is increased by before it is compared with a budget. */
  public static final int ALLOWANCE_PERCENT = 10;

  private Planner() {}

  /**
   * A plan and its predictions.
   *
   * @param plan each unit's mode
   * @param peakBytes the predicted peak of one step
   * @param relativeCompute compute relative to every unit STORED
   * @param budgetBytes the budget it was chosen for
   */
  public record Choice(ModePlan plan, long peakBytes, double relativeCompute, long budgetBytes) {
    /** {@return true when the predicted peak {@link Planner#fits fits} the budget} */
    public boolean fits() {
      return Planner.fits(peakBytes, budgetBytes);
    }
  }

  /**
   * True when {@code peakBytes} plus {@value #ALLOWANCE_PERCENT}% is within {@code budgetBytes}.
   *
   * @param peakBytes a predicted peak
   * @param budgetBytes the budget
   * @return whether it fits with the allowance
   */
  public static boolean fits(long peakBytes, long budgetBytes) {
    return peakBytes + peakBytes / 100.0 * ALLOWANCE_PERCENT <= budgetBytes;
  }

  /**
   * The fastest plan predicted to fit {@code budgetBytes}; when none does, the one with the
   * smallest predicted peak (whose {@link Choice#fits} is false).
   *
   * @param model the network's memory model
   * @param budgetBytes the budget
   * @return the chosen plan, its predicted peak and whether it fits
   */
  public static Choice plan(MemoryModel model, long budgetBytes) {
    List<Choice> all = new ArrayList<>();
    for (ModePlan p : assignments(model)) {
      all.add(new Choice(p, model.peakBytes(p), model.relativeCompute(p), budgetBytes));
    }
    Comparator<Choice> fastest =
        Comparator.comparingDouble(Choice::relativeCompute).thenComparingLong(Choice::peakBytes);
    return all.stream()
        .filter(Choice::fits)
        .min(fastest)
        .orElseGet(() -> Collections.min(all, Comparator.comparingLong(Choice::peakBytes)));
  }

  private static List<ModePlan> assignments(MemoryModel model) {
    List<GradientMode> modes = model.candidates();
    int units = model.shape().units().size();
    List<ModePlan> plans = new ArrayList<>();
    if (Math.pow(modes.size(), units) <= Math.pow(2, EXHAUSTIVE_UNITS)) {
      int count = (int) Math.pow(modes.size(), units);
      for (int code = 0; code < count; code++) {
        List<GradientMode> m = new ArrayList<>();
        for (int u = 0, c = code; u < units; u++, c /= modes.size()) {
          m.add(modes.get(c % modes.size()));
        }
        plans.add(new ModePlan(m));
      }
      return plans;
    }
    GradientMode last = modes.get(modes.size() - 1);
    for (int bottom = 0; bottom <= units; bottom++) {
      List<GradientMode> m = new ArrayList<>(Collections.nCopies(units, GradientMode.stored()));
      for (int u = 0; u < bottom; u++) {
        m.set(u, last);
      }
      plans.add(new ModePlan(m));
    }
    return plans;
  }
}
