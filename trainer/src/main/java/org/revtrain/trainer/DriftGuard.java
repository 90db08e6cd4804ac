package org.revtrain.trainer;

import java.util.List;
import java.util.Optional;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.reversible.GradientMode;

/**
 * Certified reconstruction: keeps every unit's reconstruction error under a tolerance τ by storing
 * more of its block inputs when it does not.
 *
 * <p>A reconstructing unit rebuilds block input x_j from x_{j+1} by inverting block j. In finite
 * precision each inversion adds round-off, and an inverse that amplifies errors (midpoint and
 * leapfrog at large h, a state in float32) compounds it, so the relative error e = ‖x̂ − x‖ / ‖x‖
 * of the unit's rebuilt input grows from the round-off u of the state's type (u = 2⁻²⁴ in float32,
 * 2⁻⁵³ in float64) with the number m of inversions in a row, at worst geometrically: e(m) ≈ u·gᵐ.
 * The guard reads each unit's e every step and, when e > τ, switches that unit from the next step
 * on:
 *
 * <ul>
 *   <li>REVERSIBLE over n blocks (m = n) to CHECKPOINT(k) with k = ⌊n · ln(τ/u) / ln(e/u)⌋, the run
 *       of inversions at which e(m) = u·gᵐ, fitted through e(n) = e, reaches τ; at most n/2, at
 *       least 1;
 *   <li>CHECKPOINT(k) (m = k) to CHECKPOINT(⌊k/2⌋) (the error may grow faster than geometrically:
 *       the next steps check again);
 *   <li>CHECKPOINT(1), a single block, or τ ≤ u, to STORED, which does not reconstruct.
 * </ul>
 *
 * STORED units are never switched. A switch is never undone within a run.
 */
final class DriftGuard {
  private final double tolerance;
  private final double roundOff;
  private final int[] blocksPerUnit;

  /**
   * @param tolerance τ, in (0, 1)
   * @param roundOff u of the reconstructed state's type
   * @param blocksPerUnit n of each unit, bottom first
   */
  DriftGuard(double tolerance, double roundOff, int[] blocksPerUnit) {
    this.tolerance = tolerance;
    this.roundOff = roundOff;
    this.blocksPerUnit = blocksPerUnit.clone();
  }

  /** The guard of a run, or none if it has no drift tolerance. */
  static Optional<DriftGuard> of(TrainingConfig config) {
    if (config.driftTolerance() == null) {
      return Optional.empty();
    }
    ModelSpec model = config.model();
    boolean wide = config.precision() == Precision.FLOAT64 || model.float64State();
    return Optional.of(
        new DriftGuard(config.driftTolerance(), wide ? 0x1p-53 : 0x1p-24, model.blocksPerUnit()));
  }

  /**
   * The switch that a step's errors call for, if any: of the units over the tolerance, the one with
   * the largest error (one switch a step).
   *
   * @param step the step the errors come from
   * @param plan the units' modes in that step
   * @param errors each unit's reconstruction error in that step, bottom first
   */
  Optional<ModeSwitch> check(long step, ModePlan plan, List<Double> errors) {
    int worst = -1;
    for (int u = 0; u < errors.size(); u++) {
      boolean over = errors.get(u) > tolerance || Double.isNaN(errors.get(u));
      if (over
          && !(plan.mode(u) instanceof GradientMode.Stored)
          && (worst < 0 || !(errors.get(u) <= errors.get(worst)))) {
        worst = u;
      }
    }
    if (worst < 0) {
      return Optional.empty();
    }
    GradientMode from = plan.mode(worst);
    double e = errors.get(worst);
    return Optional.of(
        new ModeSwitch(step, worst, from, next(from, blocksPerUnit[worst], e), e, tolerance));
  }

  /** The mode after {@code mode} for a unit of {@code n} blocks whose error was {@code e}. */
  GradientMode next(GradientMode mode, int n, double e) {
    int k;
    if (mode instanceof GradientMode.Checkpoint c) {
      k = c.every() / 2;
    } else if (tolerance <= roundOff || !(e < Double.POSITIVE_INFINITY)) {
      k = 0;
    } else {
      double fitted = n * Math.log(tolerance / roundOff) / Math.log(e / roundOff);
      k = (int) Math.max(1, Math.min(n / 2, Math.floor(fitted)));
    }
    return k >= 1 && n > 1 ? GradientMode.checkpoint(k) : GradientMode.stored();
  }
}
