package org.revtrain.trainer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import org.revtrain.models.BlockKind;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Models;

/**
 * Models by the names a user gives, and their record in {@code config.json}.
 *
 * <p>A name is either one of {@link Models#named()} (e.g. {@code hamiltonian-tiny}) or a custom
 * model {@code KIND:BLOCKS:FILTERS[:bn|:nobn]}, e.g. {@code hamiltonian:2,2,2:16,16,32,64}: the
 * block kind, the blocks of each unit and the channels of the stem and of each unit (batch
 * normalisation on where the kind has it, unless {@code :nobn}).
 */
public final class ModelCatalog {
  private ModelCatalog() {}

  /**
   * The model called {@code text}.
   *
   * @throws IllegalArgumentException naming what is wrong (unknown name, malformed custom model,
   *     odd channels for a block that splits them, ...)
   */
  public static ModelSpec resolve(String text) {
    String t = text.strip();
    if (!t.contains(":")) {
      return Models.byName(t.toLowerCase(Locale.ROOT));
    }
    String[] parts = t.split(":", -1);
    if (parts.length < 3 || parts.length > 4) {
      throw new IllegalArgumentException(
          "custom model '"
              + text
              + "' must be KIND:BLOCKS:FILTERS[:bn|:nobn], e.g. hamiltonian:2,2,2:16,16,32,64");
    }
    BlockKind kind = BlockKind.byId(parts[0].strip());
    boolean bn = kind.supportsBatchNorm();
    if (parts.length == 4) {
      String flag = parts[3].strip().toLowerCase(Locale.ROOT);
      if (!flag.equals("bn") && !flag.equals("nobn")) {
        throw new IllegalArgumentException(
            "custom model '" + text + "': last part must be bn or nobn, got '" + parts[3] + "'");
      }
      bn = flag.equals("bn");
    }
    return ModelSpec.builder(kind)
        .name(t)
        .blocksPerUnit(integers(parts[1], "blocks", text))
        .filters(integers(parts[2], "filters", text))
        .batchNorm(bn)
        .build();
  }

  /** {@code spec} with every block's step size set to {@code h}. */
  public static ModelSpec withStepSize(ModelSpec spec, double h) {
    return spec.toBuilder().stepSize(h).build();
  }

  private static int[] integers(String list, String what, String text) {
    try {
      return Arrays.stream(list.split(","))
          .map(String::strip)
          .mapToInt(Integer::parseInt)
          .toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "custom model '"
              + text
              + "': "
              + what
              + " must be comma-separated integers, got '"
              + list
              + "'");
    }
  }

  /** The complete description of {@code spec}, enough to rebuild it with {@link #fromJson}. */
  public static JsonObject toJson(ModelSpec spec) {
    JsonObject o = new JsonObject();
    o.addProperty("name", spec.name());
    o.addProperty("kind", spec.kind().id());
    JsonArray blocks = new JsonArray();
    JsonArray filters = new JsonArray();
    filters.add(spec.filters(0));
    for (int u = 0; u < spec.units(); u++) {
      blocks.add(spec.blocks(u));
      filters.add(spec.filters(u + 1));
    }
    o.add("blocks_per_unit", blocks);
    o.add("filters", filters);
    JsonArray h = new JsonArray();
    for (double x : spec.stepSizes()) {
      h.add(x);
    }
    o.add("step_sizes", h);
    o.addProperty("batch_norm", spec.batchNorm());
    o.addProperty("final_survival", spec.finalSurvival());
    o.addProperty("float64_state", spec.float64State());
    o.addProperty("layers", spec.layers());
    return o;
  }

  /** The model {@link #toJson} described. */
  public static ModelSpec fromJson(JsonObject o) {
    int[] blocks = ints(o.getAsJsonArray("blocks_per_unit"));
    int[] filters = ints(o.getAsJsonArray("filters"));
    JsonArray hs = o.getAsJsonArray("step_sizes");
    double[] h = new double[hs.size()];
    for (int i = 0; i < h.length; i++) {
      h[i] = hs.get(i).getAsDouble();
    }
    return ModelSpec.builder(BlockKind.byId(o.get("kind").getAsString()))
        .name(o.get("name").getAsString())
        .blocksPerUnit(blocks)
        .filters(filters)
        .stepSizes(h)
        .batchNorm(o.get("batch_norm").getAsBoolean())
        .finalSurvival(o.get("final_survival").getAsDouble())
        // written before the option existed: the state was carried in the network's type
        .float64State(o.has("float64_state") && o.get("float64_state").getAsBoolean())
        .build();
  }

  private static int[] ints(JsonArray a) {
    int[] v = new int[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).getAsInt();
    }
    return v;
  }
}
