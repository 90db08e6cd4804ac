package org.revtrain.trainer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Objects;
import org.revtrain.trainer.data.Standardization;

/**
 * What a checkpoint records besides the variables ({@code checkpoint.json}): the counters, the
 * input and its standardisation, and the configuration, so that a run can be resumed, evaluated or
 * exported from the checkpoint alone.
 *
 * @param step training steps completed
 * @param stepsPerEpoch training batches per epoch
 * @param seconds wall-clock seconds of training so far, over all resumed runs
 * @param peakBytes the TensorFlow allocator's peak so far, or −1 if unknown
 * @param sinceEvaluation the training steps' sums since the last evaluation
 * @param input the images and classes the network is built for
 * @param standardization the training set's per-channel statistics
 * @param config the run's configuration
 */
public record CheckpointState(
    long step,
    int stepsPerEpoch,
    double seconds,
    long peakBytes,
    RunningMeans sinceEvaluation,
    ImageShape input,
    Standardization standardization,
    TrainingConfig config) {
  /** Version of the {@code checkpoint.json} layout. */
  public static final int FORMAT = 1;

  /** Checks the arguments. */
  public CheckpointState {
    if (step < 0 || stepsPerEpoch < 1) {
      throw new IllegalArgumentException(
          "bad counters: step " + step + ", " + stepsPerEpoch + " steps per epoch");
    }
    Objects.requireNonNull(sinceEvaluation, "sinceEvaluation");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(standardization, "standardization");
    Objects.requireNonNull(config, "config");
  }

  /** Epochs completed. */
  public double epoch() {
    return (double) step / stepsPerEpoch;
  }

  /** The {@code checkpoint.json} form. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    o.addProperty("step", step);
    o.addProperty("epoch", epoch());
    o.addProperty("steps_per_epoch", stepsPerEpoch);
    o.addProperty("seconds", seconds);
    o.addProperty("tf_peak_bytes", peakBytes);
    o.add("since_evaluation", sinceEvaluation.toJson());
    o.add("input", inputJson(input));
    JsonObject s = new JsonObject();
    s.add("mean", floats(standardization.mean()));
    s.add("std", floats(standardization.std()));
    o.add("standardization", s);
    o.add("config", config.toJson());
    return o;
  }

  /** The state {@link #toJson} wrote. */
  public static CheckpointState fromJson(JsonObject o) {
    int format = o.get("format").getAsInt();
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "checkpoint format " + format + ", this version reads " + FORMAT);
    }
    JsonObject in = o.getAsJsonObject("input");
    JsonObject s = o.getAsJsonObject("standardization");
    return new CheckpointState(
        o.get("step").getAsLong(),
        o.get("steps_per_epoch").getAsInt(),
        o.get("seconds").getAsDouble(),
        o.get("tf_peak_bytes").getAsLong(),
        RunningMeans.fromJson(o.getAsJsonObject("since_evaluation")),
        new ImageShape(
            in.get("height").getAsInt(),
            in.get("width").getAsInt(),
            in.get("channels").getAsInt(),
            in.get("classes").getAsInt()),
        new Standardization(floats(s.getAsJsonArray("mean")), floats(s.getAsJsonArray("std"))),
        TrainingConfig.fromJson(o.getAsJsonObject("config")));
  }

  /** The input shape as JSON. */
  static JsonObject inputJson(ImageShape input) {
    JsonObject in = new JsonObject();
    in.addProperty("height", input.height());
    in.addProperty("width", input.width());
    in.addProperty("channels", input.channels());
    in.addProperty("classes", input.classes());
    return in;
  }

  private static JsonArray floats(float[] v) {
    JsonArray a = new JsonArray();
    for (float x : v) {
      a.add(x);
    }
    return a;
  }

  private static float[] floats(JsonArray a) {
    float[] v = new float[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).getAsFloat();
    }
    return v;
  }
}
