package org.revtrain.trainer;

import com.google.gson.JsonObject;
import org.revtrain.reversible.GradientMode;

/**
 * A unit that a run switched to a mode storing more block inputs, because its reconstruction error
 * exceeded the run's drift tolerance. Written to {@code metrics.jsonl} as a line of its own, {@code
 * {"step": 37, "event": "mode_switch", "unit": 1, "from": "reversible", "to": "checkpoint:2",
 * "reconstruction_error": 9.0e-4, "tolerance": 1.0e-4}}.
 *
 * @param step the step whose reconstruction error triggered the switch; the steps after it train in
 *     the new mode
 * @param unit the unit, 0 for the bottom one
 * @param from its mode until then
 * @param to its mode from the next step on
 * @param reconstructionError the error that exceeded the tolerance
 * @param tolerance the run's drift tolerance
 */
public record ModeSwitch(
    long step,
    int unit,
    GradientMode from,
    GradientMode to,
    double reconstructionError,
    double tolerance) {
  /** The value of the {@code event} key that marks such a line. */
  public static final String EVENT = "mode_switch";

  /** The {@code metrics.jsonl} line. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("step", step);
    o.addProperty("event", EVENT);
    o.addProperty("unit", unit);
    o.addProperty("from", from.toString());
    o.addProperty("to", to.toString());
    o.addProperty("reconstruction_error", reconstructionError);
    o.addProperty("tolerance", tolerance);
    return o;
  }

  /** Reads what {@link #toJson} wrote. */
  public static ModeSwitch fromJson(JsonObject o) {
    return new ModeSwitch(
        o.get("step").getAsLong(),
        o.get("unit").getAsInt(),
        GradientMode.parse(o.get("from").getAsString()),
        GradientMode.parse(o.get("to").getAsString()),
        o.get("reconstruction_error").getAsDouble(),
        o.get("tolerance").getAsDouble());
  }

  /** Whether a {@code metrics.jsonl} line is a mode switch rather than a metrics record. */
  static boolean isOne(JsonObject line) {
    return line.has("event") && EVENT.equals(line.get("event").getAsString());
  }

  /** One line for the console. */
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "unit %d: reconstruction error %.3g > %.3g at step %d; %s -> %s",
        unit,
        reconstructionError,
        tolerance,
        step,
        from,
        to);
  }
}
