package org.revtrain.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.revtrain.trainer.ModelCatalog;
import org.revtrain.trainer.UsageException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --grid} and {@code --set} items of a sweep read as {@code train} options: each key
 * must be one of {@code train}'s options (or a grid key that a {@code --set} value takes as {@code
 * {KEY}}), and each value, as every run will get it, must parse as {@code train} reads it (models
 * resolved), before anything runs. A bad item is a {@link UsageException} naming it.
 */
final class SweepOptions {
  /** Options a sweep sets itself, or that a grid of fresh runs cannot take. */
  private static final Set<String> RESERVED =
      Set.of("out", "resume", "init-from", "refine", "solver", "seed", "help", "version");

  private final CommandSpec train;
  private final Map<String, Boolean> flags = new HashMap<>();
  private final Set<String> variables = new HashSet<>();

  /**
   * @param train the {@code train} command's specification
   */
  SweepOptions(CommandSpec train) {
    this.train = train;
  }

  /** The keys read so far that are flags, each with whether it has a {@code --no-} form. */
  Map<String, Boolean> flags() {
    return Map.copyOf(flags);
  }

  /** The grid keys read so far that are no options, only values for {@code --set} values. */
  Set<String> variables() {
    return Set.copyOf(variables);
  }

  /**
   * The sweep of these {@code --grid KEY=V1,V2,...} and {@code --set KEY=VALUE} items, each run
   * seeded 1..{@code seeds}.
   */
  SweepSpec spec(List<String> grid, List<String> set, int seeds) {
    Map<String, List<String>> g = new LinkedHashMap<>();
    String fixedValues = String.join("\n", set);
    for (String item : grid) {
      String[] kv = keyValue("--grid", item);
      String sep = kv[1].contains(";") ? ";" : ",";
      List<String> values = Arrays.stream(kv[1].split(sep, -1)).map(String::strip).toList();
      if (values.stream().anyMatch(String::isEmpty)) {
        throw new UsageException("--grid " + item + ": an empty value");
      }
      if (g.containsKey(kv[0])) {
        throw new UsageException("--grid " + item + ": " + kv[0] + " is varied twice");
      }
      if (train.findOption("--" + kv[0]) == null && fixedValues.contains("{" + kv[0] + "}")) {
        variables.add(kv[0]); // a value for --set options to take, not an option of its own
      } else {
        for (String v : values) {
          check("--grid", kv[0], v);
        }
      }
      g.put(kv[0], values);
    }
    Map<String, String> f = new LinkedHashMap<>();
    for (String item : set) {
      String[] kv = keyValue("--set", item);
      if (g.containsKey(kv[0])) {
        throw new UsageException("--set " + item + ": " + kv[0] + " is varied by --grid already");
      }
      java.util.regex.Matcher ref = java.util.regex.Pattern.compile("\\{([^}]*)}").matcher(kv[1]);
      while (ref.find()) {
        if (!g.containsKey(ref.group(1))) {
          throw new UsageException(
              "--set " + item + ": {" + ref.group(1) + "} names no --grid key");
        }
      }
      f.put(kv[0], kv[1]);
    }
    Set<String> checked = new HashSet<>();
    for (Map<String, String> cell : new SweepSpec(g, f, 1).cells()) {
      SweepRun run = new SweepRun(cell, f, 1);
      f.forEach(
          (k, v) -> {
            String value = run.substituted(v);
            if (checked.add(k + "=" + value)) {
              check("--set", k, value);
            }
          });
    }
    SweepSpec s = new SweepSpec(g, f, seeds);
    Set<String> names = new HashSet<>();
    for (SweepRun r : s.runs()) {
      if (!names.add(r.name())) {
        throw new UsageException(
            "--grid: two cells have the same directory name "
                + r.name()
                + "; give values that differ in letters or digits");
      }
    }
    return s;
  }

  private String[] keyValue(String flag, String item) {
    int eq = item.indexOf('=');
    if (eq <= 0) {
      throw new UsageException(
          flag + " " + item + ": write KEY=VALUE, KEY a train option without its dashes");
    }
    String key = item.substring(0, eq).strip();
    return new String[] {
      key.startsWith("--") ? key.substring(2) : key, item.substring(eq + 1).strip()
    };
  }

  /** Checks that {@code train --key value} parses, naming {@code flag} if not. */
  private void check(String flag, String key, String value) {
    String item = flag + " " + key + "=" + value;
    if (RESERVED.contains(key)) {
      throw new UsageException(
          item
              + ": "
              + (key.equals("seed")
                  ? "the sweep seeds its runs: use --seeds N"
                  : "--" + key + " is the sweep's to set"));
    }
    OptionSpec o = train.findOption("--" + key);
    if (o == null) {
      throw new UsageException(
          item
              + ": train has no option --"
              + key
              + (flag.equals("--grid") ? " (nor does a --set value use {" + key + "})" : ""));
    }
    if (key.equals("model")) {
      try {
        ModelCatalog.resolve(value);
      } catch (IllegalArgumentException e) {
        throw new UsageException(item + ": " + e.getMessage());
      }
    }
    List<String> args = new ArrayList<>(List.of("train"));
    if (o.arity().max() == 0) {
      if (!value.equals("true") && !value.equals("false")) {
        throw new UsageException(item + ": --" + key + " is a flag: give true or false");
      }
      flags.put(key, o.negatable());
      if (value.equals("true")) {
        args.add("--" + key);
      } else if (o.negatable()) {
        args.add("--no-" + key);
      }
    } else {
      args.addAll(List.of("--" + key, value));
    }
    try {
      Main.commandLine().parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      throw new UsageException(item + ": " + e.getMessage());
    }
  }
}
