package org.revtrain.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One run of a sweep: a cell's values, the options fixed for every run, and a seed.
 *
 * @param cell the grid keys' values
 * @param fixed the options of every run
 * @param seed the run's {@code --seed}
 */
record SweepRun(Map<String, String> cell, Map<String, String> fixed, int seed) {
  /**
   * The run directory's name: the cell's {@code key=value} pairs and the seed, joined by {@code _},
   * with characters other than letters, digits, {@code .}, {@code -} and {@code =} written as
   * {@code -}, e.g. {@code model=hamiltonian-38_train-fraction=0.01_seed=2}.
   */
  String name() {
    StringJoiner j = new StringJoiner("_");
    cell.forEach((k, v) -> j.add(k + "=" + v.replaceAll("[^A-Za-z0-9.=-]+", "-")));
    j.add("seed=" + seed);
    return j.toString();
  }

  /** The cell as the table and the console show it, e.g. {@code model=resnet-32 h=0.5}. */
  static String describe(Map<String, String> cell) {
    StringJoiner j = new StringJoiner(" ");
    cell.forEach((k, v) -> j.add(k + "=" + v));
    return j.length() == 0 ? "(all runs)" : j.toString();
  }

  /**
   * The {@code train} options of this run, without {@code --out}: the fixed ones, in whose values
   * {@code {key}} stands for the cell's value of grid key {@code key}, then the cell's options,
   * then the seed. A flag's value {@code true} gives {@code --key}, {@code false} {@code --no-key}
   * (or nothing, for a flag that is off unless given).
   *
   * @param flags the keys that are flags (options without a value), each with whether it has a
   *     {@code --no-} form
   * @param variables the grid keys that are no options, only values to put into fixed ones
   */
  List<String> trainOptions(Map<String, Boolean> flags, java.util.Set<String> variables) {
    List<String> args = new ArrayList<>();
    fixed.forEach((k, v) -> add(args, k, substituted(v), flags));
    cell.forEach(
        (k, v) -> {
          if (!variables.contains(k)) {
            add(args, k, v, flags);
          }
        });
    args.add("--seed");
    args.add(Integer.toString(seed));
    return args;
  }

  /** {@code value} with every {@code {key}} of a grid key replaced by the cell's value. */
  String substituted(String value) {
    String s = value;
    for (Map.Entry<String, String> e : cell.entrySet()) {
      s = s.replace("{" + e.getKey() + "}", e.getValue());
    }
    return s;
  }

  private static void add(List<String> args, String key, String value, Map<String, Boolean> flags) {
    Boolean negatable = flags.get(key);
    if (negatable != null) {
      if (Boolean.parseBoolean(value)) {
        args.add("--" + key);
      } else if (negatable) {
        args.add("--no-" + key);
      }
    } else {
      args.add("--" + key);
      args.add(value);
    }
  }
}
