package org.revtrain.trainer;

import static org.revtrain.trainer.MetricsRecord.number;
import static org.revtrain.trainer.MetricsRecord.real;

import com.google.gson.JsonObject;

/**
 * The sums behind the training loss, accuracy and reconstruction error that the next line of {@code
 * metrics.jsonl} reports: those of the steps since the last evaluation. A checkpoint keeps them, so
 * that a run stopped between two evaluations and resumed reports what an uninterrupted run would.
 *
 * @param lossSum sum of the steps' batch losses
 * @param accuracySum sum of the steps' batch accuracies
 * @param steps steps summed
 * @param maxReconstructionError largest reconstruction error of the steps (0 when none)
 */
public record RunningMeans(
    double lossSum, double accuracySum, long steps, double maxReconstructionError) {
  /** No step yet. */
  public static final RunningMeans NONE = new RunningMeans(0, 0, 0, 0);

  /** These sums with one more step. */
  public RunningMeans plus(StepOutcome o) {
    return new RunningMeans(
        lossSum + o.loss(),
        accuracySum + o.accuracy(),
        steps + 1,
        Math.max(maxReconstructionError, o.reconstructionError()));
  }

  /** Mean batch loss; NaN when no step was summed. */
  public double meanLoss() {
    return steps == 0 ? Double.NaN : lossSum / steps;
  }

  /** Mean batch accuracy; NaN when no step was summed. */
  public double meanAccuracy() {
    return steps == 0 ? Double.NaN : accuracySum / steps;
  }

  /** Largest reconstruction error; NaN when no step was summed. */
  public double reconstructionError() {
    return steps == 0 ? Double.NaN : maxReconstructionError;
  }

  /** The JSON form inside {@code checkpoint.json} (non-finite numbers as null). */
  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.add("loss_sum", number(lossSum));
    o.add("accuracy_sum", number(accuracySum));
    o.addProperty("steps", steps);
    o.add("max_reconstruction_error", number(maxReconstructionError));
    return o;
  }

  /**
   * The sums {@link #toJson} wrote; {@link #NONE} for null (a checkpoint from before they were
   * kept).
   */
  static RunningMeans fromJson(JsonObject o) {
    if (o == null) {
      return NONE;
    }
    return new RunningMeans(
        real(o.get("loss_sum")),
        real(o.get("accuracy_sum")),
        o.get("steps").getAsLong(),
        real(o.get("max_reconstruction_error")));
  }
}
