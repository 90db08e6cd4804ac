package org.revtrain.trainer.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Models;
import org.revtrain.models.Network;
import org.revtrain.reversible.GradientMode;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code revtrain models}: the named models. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description =
        "Lists the named models: block kind, blocks per unit, channels, layers,"
            + " trainable parameters (for 3-channel images and 10 classes) and the gradient modes"
            + " they train in.")
final class ModelsCommand implements Callable<Integer> {
  private static final String ALL_MODES = "all";
  private static final List<String> HEADERS =
      List.of("NAME", "KIND", "BLOCKS", "FILTERS", "LAYERS", "PARAMETERS", "MODES");
  private static final Set<String> COUNTS = Set.of("LAYERS", "PARAMETERS");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS.toArray(String[]::new));
    for (ModelSpec m : Models.named().values()) {
      int[] blocks = IntStream.range(0, m.units()).map(m::blocks).toArray();
      int[] filters = IntStream.rangeClosed(0, m.units()).map(m::filters).toArray();
      rows.add(
          new String[] {
            m.name() + (m.name().equals(Models.DEFAULT) ? " *" : ""),
            m.kind().id() + (m.batchNorm() ? "+bn" : ""),
            join(blocks),
            join(filters),
            Integer.toString(m.layers()),
            String.format(Locale.ROOT, "%,d", parameters(m)),
            m.kind().reversible() ? ALL_MODES : m.kind().modes()
          });
    }
    PrintWriter out = spec.commandLine().getOut();
    String format = format(rows);
    rows.forEach(r -> out.printf(Locale.ROOT, format, (Object[]) r));
    out.println(
        "* the default of 'revtrain train'."
            + " Custom models: --model KIND:BLOCKS:FILTERS[:bn|:nobn].");
    out.println(
        ALL_MODES
            + ": reversible, stored and checkpoint:K;"
            + " the others' blocks are not invertible: stored only.");
    out.flush();
    return ExitCodes.OK;
  }

  /** A row format wide enough for every row: text columns left-aligned, counts right-aligned. */
  private static String format(List<String[]> rows) {
    StringBuilder f = new StringBuilder();
    for (int c = 0; c < HEADERS.size(); c++) {
      int column = c;
      int width = rows.stream().mapToInt(r -> r[column].length()).max().orElse(0);
      String align = COUNTS.contains(HEADERS.get(c)) ? "" : "-";
      f.append(c > 0 ? "  " : "")
          .append(c == HEADERS.size() - 1 ? "%s" : "%" + align + width + "s");
    }
    return f.append("%n").toString();
  }

  private static String join(int[] v) {
    return String.join(",", Arrays.stream(v).mapToObj(Integer::toString).toList());
  }

  /** Trainable scalars of a model, from its variables' shapes (nothing is run). */
  private static long parameters(ModelSpec m) {
    try (Graph g = new Graph();
        Network<TFloat32> n =
            Network.create(Ops.create(g), m, 3, 10, GradientMode.stored(), TFloat32.class, 0)) {
      return n.trainableParameterCount();
    }
  }
}
