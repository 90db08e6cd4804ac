package org.revtrain.trainer;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * One evaluation of a run: one line of {@code metrics.jsonl}, written at every epoch end and at the
 * end of every run.
 *
 * @param epoch epochs completed (fractional for a run that stops mid-epoch)
 * @param step training steps completed
 * @param trainLoss mean cross-entropy of the training batches since the previous evaluation (NaN if
 *     none: written as null)
 * @param trainAccuracy their accuracy, in training mode on augmented batches
 * @param testLoss mean cross-entropy on the test set
 * @param testAccuracy accuracy on the test set
 * @param learningRate the learning rate of the last step
 * @param seconds wall-clock seconds since the run started (over resumed runs)
 * @param tfPeakBytes the TensorFlow allocator's peak during a traced training step; −1 if the
 *     allocator keeps no totals (start the JVM with {@code TF_CPU_ALLOCATOR_USE_BFC=true})
 * @param reconstructionError largest reconstruction error at a unit boundary over the steps since
 *     the previous evaluation (0 in STORED mode)
 */
public record MetricsRecord(
    double epoch,
    long step,
    double trainLoss,
    double trainAccuracy,
    double testLoss,
    double testAccuracy,
    double learningRate,
    double seconds,
    long tfPeakBytes,
    double reconstructionError) {

  /** The JSON object of one {@code metrics.jsonl} line, keys in snake case. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.add("epoch", number(epoch));
    o.addProperty("step", step);
    o.add("train_loss", number(trainLoss));
    o.add("train_accuracy", number(trainAccuracy));
    o.add("test_loss", number(testLoss));
    o.add("test_accuracy", number(testAccuracy));
    o.add("learning_rate", number(learningRate));
    o.add("seconds", number(seconds));
    o.addProperty("tf_peak_bytes", tfPeakBytes);
    o.add("reconstruction_error", number(reconstructionError));
    return o;
  }

  /** The record of one {@code metrics.jsonl} line, as {@link #toJson} wrote it (null → NaN). */
  public static MetricsRecord fromJson(JsonObject o) {
    return new MetricsRecord(
        real(o, "epoch"),
        o.get("step").getAsLong(),
        real(o, "train_loss"),
        real(o, "train_accuracy"),
        real(o, "test_loss"),
        real(o, "test_accuracy"),
        real(o, "learning_rate"),
        real(o, "seconds"),
        o.get("tf_peak_bytes").getAsLong(),
        real(o, "reconstruction_error"));
  }

  private static double real(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null) {
      throw new IllegalArgumentException("metrics line without \"" + key + "\": " + o);
    }
    return real(e);
  }

  /** A JSON number, null (read back as NaN by {@link #real(JsonElement)}) for NaN or infinity. */
  static JsonElement number(double x) {
    return Double.isFinite(x) ? new JsonPrimitive(x) : JsonNull.INSTANCE;
  }

  /** The number {@link #number} wrote. */
  static double real(JsonElement e) {
    return e.isJsonNull() ? Double.NaN : e.getAsDouble();
  }
}
