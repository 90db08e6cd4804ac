package org.revtrain.experiments;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep: {@code train} options varied over a grid ({@code key → values}, the cells being their
 * Cartesian product, the first key varying slowest), options fixed for every run, and the seeds
 * 1..{@code seeds} each cell is trained with. Keys are {@code train}'s long option names without
 * the dashes ({@code model}, {@code train-fraction}, {@code augment}).
 *
 * @param grid the varied options, in the order given, each with at least one value
 * @param fixed the options every run gets
 * @param seeds runs per cell, seeded 1..seeds
 */
record SweepSpec(Map<String, List<String>> grid, Map<String, String> fixed, int seeds) {
  SweepSpec {
    grid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grid));
    fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
    if (seeds < 1) {
      throw new IllegalArgumentException("seeds must be at least 1, got " + seeds);
    }
    grid.forEach(
        (k, v) -> {
          if (v.isEmpty()) {
            throw new IllegalArgumentException(k + " has no values");
          }
        });
  }

  /** The cells, each an assignment of one value to every grid key, in grid order. */
  List<Map<String, String>> cells() {
    List<Map<String, String>> cells = new ArrayList<>();
    cells.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> key : grid.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> cell : cells) {
        for (String value : key.getValue()) {
          Map<String, String> c = new LinkedHashMap<>(cell);
          c.put(key.getKey(), value);
          next.add(c);
        }
      }
      cells = next;
    }
    return cells.stream().map(java.util.Collections::unmodifiableMap).toList();
  }

  /** Every run: each cell with each seed, cell by cell. */
  List<SweepRun> runs() {
    List<SweepRun> runs = new ArrayList<>();
    for (Map<String, String> cell : cells()) {
      for (int s = 1; s <= seeds; s++) {
        runs.add(new SweepRun(cell, fixed, s));
      }
    }
    return runs;
  }

  /** The {@code sweep.json} form, by which a rerun recognises its sweep. */
  JsonObject toJson() {
    JsonObject o = new JsonObject();
    JsonObject g = new JsonObject();
    grid.forEach(
        (k, v) -> {
          JsonArray a = new JsonArray();
          v.forEach(a::add);
          g.add(k, a);
        });
    o.add("grid", g);
    JsonObject f = new JsonObject();
    fixed.forEach(f::addProperty);
    o.add("set", f);
    o.addProperty("seeds", seeds);
    return o;
  }

  /** Reads what {@link #toJson} wrote. */
  static SweepSpec fromJson(JsonObject o) {
    Map<String, List<String>> grid = new LinkedHashMap<>();
    o.getAsJsonObject("grid")
        .entrySet()
        .forEach(
            e -> {
              List<String> values = new ArrayList<>();
              e.getValue().getAsJsonArray().forEach(v -> values.add(v.getAsString()));
              grid.put(e.getKey(), values);
            });
    Map<String, String> fixed = new LinkedHashMap<>();
    o.getAsJsonObject("set")
        .entrySet()
        .forEach(e -> fixed.put(e.getKey(), e.getValue().getAsString()));
    return new SweepSpec(grid, fixed, o.get("seeds").getAsInt());
  }
}
