package org.revtrain.models.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.revtrain.reversible.GradientMode;

/**
 * The gradient mode of each unit of a network, bottom to top. Written as the modes joined by
 * commas, e.g. {@code reversible,reversible,stored}; a plan whose units all share one mode is
 * {@link #uniform}.
 *
 * @param modes one mode per unit, at least one
 */
public record ModePlan(List<GradientMode> modes) {
  /**
   * Checks that there is a mode for at least one unit and none is null.
   *
   * @param modes one mode per unit, at least one
   */
  public ModePlan {
    if (modes == null || modes.isEmpty() || modes.stream().anyMatch(m -> m == null)) {
      throw new IllegalArgumentException("a mode plan needs one gradient mode per unit");
    }
    modes = List.copyOf(modes);
  }

  /**
   * Every one of {@code units} units in {@code mode}.
   *
   * @param mode the mode
   * @param units the number of units
   * @return the plan
   */
  public static ModePlan uniform(GradientMode mode, int units) {
    return new ModePlan(Collections.nCopies(units, mode));
  }

  /**
   * The mode of unit {@code unit} (0 is the bottom one).
   *
   * @param unit u
   * @return its mode
   */
  public GradientMode mode(int unit) {
    return modes.get(unit);
  }

  /** {@return the number of units} */
  public int units() {
    return modes.size();
  }

  /** {@return true when every unit has the same mode} */
  public boolean isUniform() {
    return modes.stream().distinct().count() == 1;
  }

  /**
   * This plan with unit {@code unit} in {@code mode}.
   *
   * @param unit u
   * @param mode its new mode
   * @return the changed plan
   */
  public ModePlan with(int unit, GradientMode mode) {
    List<GradientMode> m = new ArrayList<>(modes);
    m.set(unit, mode);
    return new ModePlan(m);
  }

  /**
   * Reads the {@link #toString} form: modes separated by commas, each as {@link GradientMode#parse}
   * reads it.
   *
   * @param text e.g. {@code reversible,stored,stored}, bottom unit first
   * @return the plan
   * @throws IllegalArgumentException naming the mode that is not one
   */
  public static ModePlan parse(String text) {
    List<GradientMode> m = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      m.add(GradientMode.parse(part));
    }
    return new ModePlan(m);
  }

  @Override
  public String toString() {
    return modes.stream().map(GradientMode::toString).collect(Collectors.joining(","));
  }
}
