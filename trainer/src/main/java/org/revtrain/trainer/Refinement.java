package org.revtrain.trainer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A run doubled its network's blocks after an epoch ({@link TrainingConfig#refineAt}): every step
 * h_j split into two of h_j/2, each with block j's weights, running statistics and momentum.
 * Written to {@code metrics.jsonl} as a line of its own, {@code {"step": 40, "event": "refine",
 * "epoch": 5, "from": "tiny", "to": "tiny-refined2", "blocks_per_unit": [4, 2]}}.
 *
 * @param step the steps completed when the blocks were doubled; the steps after it train the
 *     refined network
 * @param epoch the epoch after which they were
 * @param from the network's name until then
 * @param to its name from then on
 * @param blocksPerUnit each unit's blocks from then on
 */
public record Refinement(
    long step, int epoch, String from, String to, List<Integer> blocksPerUnit) {
  /** The value of the {@code event} key that marks such a line. */
  public static final String EVENT = "refine";

  public Refinement {
    blocksPerUnit = List.copyOf(blocksPerUnit);
  }

  /** The {@code metrics.jsonl} line. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("step", step);
    o.addProperty("event", EVENT);
    o.addProperty("epoch", epoch);
    o.addProperty("from", from);
    o.addProperty("to", to);
    JsonArray blocks = new JsonArray();
    blocksPerUnit.forEach(blocks::add);
    o.add("blocks_per_unit", blocks);
    return o;
  }

  /** Reads what {@link #toJson} wrote. */
  public static Refinement fromJson(JsonObject o) {
    List<Integer> blocks = new ArrayList<>();
    o.getAsJsonArray("blocks_per_unit").forEach(b -> blocks.add(b.getAsInt()));
    return new Refinement(
        o.get("step").getAsLong(),
        o.get("epoch").getAsInt(),
        o.get("from").getAsString(),
        o.get("to").getAsString(),
        blocks);
  }

  /** Whether a {@code metrics.jsonl} line is a refinement. */
  static boolean isOne(JsonObject line) {
    return line.has("event") && EVENT.equals(line.get("event").getAsString());
  }

  /** One line for the console. */
  public String describe() {
    return "after epoch "
        + epoch
        + " (step "
        + step
        + "): "
        + from
        + " refined to "
        + to
        + ", blocks per unit "
        + blocksPerUnit;
  }
}
