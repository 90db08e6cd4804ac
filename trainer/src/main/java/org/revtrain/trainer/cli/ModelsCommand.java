package org.revtrain.trainer.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
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
    description = "Lists the named models: block kind, blocks per unit, channels, layers and trainable parameters"
        + " (for 3-channel images and 10 classes).")
final class ModelsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String format = "%-26s %-24s %-16s %-18s %7s %12s%n";
    out.printf(Locale.ROOT, format, "NAME", "KIND", "BLOCKS", "FILTERS", "LAYERS", "PARAMETERS");
    for (ModelSpec m : Models.named().values()) {
      int[] blocks = IntStream.range(0, m.units()).map(m::blocks).toArray();
      int[] filters = IntStream.rangeClosed(0, m.units()).map(m::filters).toArray();
      out.printf(Locale.ROOT,
          format,
          m.name() + (m.name().equals(Models.DEFAULT) ? " *" : ""),
          m.kind().id() + (m.batchNorm() ? "+bn" : ""),
          join(blocks),
          join(filters),
          m.layers(),
          String.format(Locale.ROOT, "%,d", parameters(m)));
    }
    out.println("* the default of 'revtrain train'. Custom models: --model KIND:BLOCKS:FILTERS[:bn|:nobn].");
    out.flush();
    return ExitCodes.OK;
  }

  private static String join(int[] v) {
    return String.join(",", Arrays.stream(v).mapToObj(Integer::toString).toList());
  }

  /** Trainable scalars of a model, from its variables' shapes (nothing is run). */
  private static long parameters(ModelSpec m) {
    try (Graph g = new Graph();
        Network<TFloat32> n = Network.create(Ops.create(g), m, 3, 10, GradientMode.stored(), TFloat32.class, 0)) {
      return n.trainableParameterCount();
    }
  }
}
