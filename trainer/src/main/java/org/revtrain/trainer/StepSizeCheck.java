package org.revtrain.trainer;

import com.google.gson.JsonObject;
import java.util.Locale;

/**
 * Ott et al.'s test of whether a network in training is still an ODE solution ({@link
 * TrainingConfig#adaptTolerance}): after an epoch, the accuracy on a held-out part of the training
 * set of the network as trained and of its ODE integrated with every step halved ({@link
 * org.revtrain.models.Discretisation#refined refined(2)}, the same weights). When they differ by
 * more than the tolerance the network depends on its discretisation, and the run doubles its
 * blocks. Written to {@code metrics.jsonl} as a line of its own, {@code {"step": 40, "event":
 * "step_size_check", "epoch": 5, "accuracy": 0.81, "refined_accuracy": 0.62, "tolerance_pp": 1.0,
 * "refine": true}}.
 *
 * @param step the steps completed at the check
 * @param epoch the epoch after which it was made
 * @param accuracy the held-out accuracy of the network as trained, in [0, 1]
 * @param refinedAccuracy that of its refined discretisation
 * @param tolerance the largest difference, in percentage points, of a network that passes
 */
public record StepSizeCheck(
    long step, int epoch, double accuracy, double refinedAccuracy, double tolerance) {
  /** The value of the {@code event} key that marks such a line. */
  public static final String EVENT = "step_size_check";

  /** Whether the network fails the check: its accuracy moves by more than the tolerance. */
  public boolean refine() {
    return 100 * Math.abs(accuracy - refinedAccuracy) > tolerance;
  }

  /** The {@code metrics.jsonl} line. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("step", step);
    o.addProperty("event", EVENT);
    o.addProperty("epoch", epoch);
    o.addProperty("accuracy", accuracy);
    o.addProperty("refined_accuracy", refinedAccuracy);
    o.addProperty("tolerance_pp", tolerance);
    o.addProperty("refine", refine());
    return o;
  }

  /** Reads what {@link #toJson} wrote. */
  public static StepSizeCheck fromJson(JsonObject o) {
    return new StepSizeCheck(
        o.get("step").getAsLong(),
        o.get("epoch").getAsInt(),
        o.get("accuracy").getAsDouble(),
        o.get("refined_accuracy").getAsDouble(),
        o.get("tolerance_pp").getAsDouble());
  }

  /** Whether a {@code metrics.jsonl} line is such a check. */
  static boolean isOne(JsonObject line) {
    return line.has("event") && EVENT.equals(line.get("event").getAsString());
  }

  /** One line for the console. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "after epoch %d: held-out accuracy %.2f%%, with steps h/2 %.2f%% (%+.2f pp, tolerance"
            + " %.2f): %s",
        epoch,
        100 * accuracy,
        100 * refinedAccuracy,
        100 * (refinedAccuracy - accuracy),
        tolerance,
        refine() ? "not an ODE solution, refining" : "an ODE solution, keeping the steps");
  }
}
