package org.revtrain.experiments;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.revtrain.models.BlockKind;
import org.revtrain.models.Discretisation;
import org.revtrain.models.ModelSpec;
import org.revtrain.trainer.Checkpoint;
import org.revtrain.trainer.Evaluation;
import org.revtrain.trainer.InferenceModel;
import org.revtrain.trainer.Trainer;
import org.revtrain.trainer.cli.Converters;
import org.revtrain.trainer.cli.NamedInput;
import org.revtrain.trainer.data.DataSource;
import org.revtrain.trainer.data.ImageDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code revtrain ode-check}: is a trained network still the flow of an ODE? The checks of Ott et
 * al., "ResNet After All? Neural ODEs and Their Numerical Solution" (ICLR 2021): evaluate the
 * checkpoint's test accuracy with its ODE integrated more finely (step-size refinement) and with
 * another solver of the same ODE (solver crossover), the weights unchanged ({@link
 * Discretisation}). A network that is an ODE flow keeps its accuracy and its predictions; one that
 * has learnt its discretisation loses them.
 */
@Command(
    name = "ode-check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Is a trained network still an ODE? Its test accuracy with its ODE integrated with smaller"
          + " steps and with another solver, same weights (Ott et al. 2021, 'ResNet After All?').",
      "Prints a Markdown table and a verdict."
    })
final class OdeCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      required = true,
      description = "A run directory (its latest checkpoint) or a checkpoint directory.")
  Path checkpoint;

  @Option(
      names = "--refine",
      split = ",",
      defaultValue = "1,2,4,8",
      paramLabel = "M",
      converter = OptionConverters.AtLeastOne.class,
      description = "Steps each trained step is split into (default: ${DEFAULT-VALUE}).")
  List<Integer> refine;

  @Option(
      names = "--solvers",
      split = ",",
      paramLabel = "KIND",
      description =
          "Solvers of the network's ODE (default: the trained one and every other step of the same"
              + " ODE: euler <-> rk4, hamiltonian <-> hamiltonian-rk4).")
  List<String> solvers;

  @Option(
      names = "--data",
      paramLabel = "SPEC",
      converter = Converters.Data.class,
      description = "Test data (default: the run's): " + Converters.Data.FORMS)
  DataSource data;

  @Option(
      names = "--tolerance",
      defaultValue = "1.0",
      paramLabel = "PP",
      description =
          "Largest accuracy drop, in percentage points, of a network that passes (default:"
              + " ${DEFAULT-VALUE}).")
  double tolerance;

  /** One discretisation's figures. */
  private record Row(
      Discretisation discretisation, ModelSpec spec, Evaluation evaluation, int[] predictions) {
    /** The fraction of test images on which this row predicts the class {@code other} predicts. */
    double agreement(Row other) {
      int same = 0;
      for (int i = 0; i < predictions.length; i++) {
        same += predictions[i] == other.predictions[i] ? 1 : 0;
      }
      return (double) same / predictions.length;
    }
  }

  @Override
  public Integer call() {
    if (!(tolerance >= 0)) {
      throw usage("--tolerance must be a number >= 0, got " + tolerance);
    }
    Checkpoint c = NamedInput.checkpoint(spec, "--checkpoint", checkpoint);
    ModelSpec trained = c.state().config().model();
    List<Discretisation> ds = discretisations(trained);
    ImageDataset test = c.testSet(data);
    PrintWriter w = spec.commandLine().getOut();
    List<Row> rows = new ArrayList<>();
    for (Discretisation d : ds) {
      try (InferenceModel<?> m = InferenceModel.open(c, d)) {
        int[] predictions = new int[test.size()];
        Evaluation e = m.evaluate(test, Trainer.EVAL_BATCH, predictions);
        rows.add(new Row(d, d.apply(trained), e, predictions));
      }
      System.err.printf(Locale.ROOT, "[ode-check] %s done%n", d.name(trained));
    }
    report(w, c, trained, test, rows);
    return 0;
  }

  /** The trained network first, then every solver with every refinement. */
  private List<Discretisation> discretisations(ModelSpec trained) {
    List<BlockKind> kinds = new ArrayList<>();
    if (solvers == null) {
      kinds.add(trained.kind());
      for (BlockKind k : BlockKind.values()) {
        if (trained.kind().solvesSameOdeAs(k) && kinds.stream().noneMatch(k::sameStepAs)) {
          kinds.add(k);
        }
      }
    } else {
      for (String s : solvers) {
        try {
          kinds.add(BlockKind.byId(s));
        } catch (IllegalArgumentException e) {
          throw usage("--solvers " + s + ": " + e.getMessage());
        }
      }
    }
    Set<Integer> ms = new LinkedHashSet<>(refine);
    ms.add(1);
    List<Discretisation> ds = new ArrayList<>();
    ds.add(Discretisation.AS_TRAINED);
    for (BlockKind k : kinds) {
      for (int m : ms.stream().sorted().toList()) {
        Discretisation d = new Discretisation(k, m);
        try {
          d.apply(trained);
        } catch (IllegalArgumentException e) {
          throw usage((m > 1 ? "--refine " + m : "--solvers " + k.id()) + ": " + e.getMessage());
        }
        if (!d.leaves(trained)) {
          ds.add(d);
        }
      }
    }
    return ds;
  }

  private void report(
      PrintWriter w, Checkpoint c, ModelSpec trained, ImageDataset test, List<Row> rows) {
    double base = rows.get(0).evaluation().accuracy();
    w.printf(
        Locale.ROOT, "# Is it still an ODE? %s at step %d%n%n", trained.name(), c.state().step());
    w.printf(
        Locale.ROOT,
        "Test set: %d images of %s. The same weights, the ODE integrated with each solver and with"
            + " every trained step split into m steps of h/m (Ott et al. 2021).%n%n",
        test.size(),
        data != null ? data : c.state().config().data());
    w.println(
        "| solver | m | blocks | test accuracy | Δ accuracy (pp) | test loss | same prediction as"
            + " trained |");
    w.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      double change = 100 * (r.evaluation().accuracy() - base);
      w.printf(
          Locale.ROOT,
          "| %s | %d | %d | %.2f%% | %+.2f | %.4g | %.1f%% |%n",
          r.spec().kind().id() + (r == rows.get(0) ? " (trained)" : ""),
          r.discretisation().refinement(),
          r.spec().totalBlocks(),
          100 * r.evaluation().accuracy(),
          change == 0 ? 0.0 : change,
          r.evaluation().loss(),
          100 * r.agreement(rows.get(0)));
    }
    w.println();
    List<Row> others = rows.subList(1, rows.size());
    if (others.isEmpty()) {
      w.println("Nothing to compare: no solver or refinement other than the trained one.");
      w.flush();
      return;
    }
    Row worst =
        others.stream()
            .min(Comparator.comparingDouble(r -> r.evaluation().accuracy()))
            .orElseThrow();
    double drop = 100 * (base - worst.evaluation().accuracy());
    if (drop <= tolerance) {
      w.printf(
          Locale.ROOT,
          "Verdict: behaves like an ODE flow: no other discretisation loses more than %.2f pp of"
              + " accuracy (the worst, %s, %s %.2f pp).%n",
          tolerance,
          worst.discretisation().name(trained),
          drop > 0 ? "loses" : "gains",
          Math.abs(drop));
    } else {
      w.printf(
          Locale.ROOT,
          "Verdict: depends on its discretisation: %s loses %.2f pp of accuracy (tolerance %.2f"
              + " pp); train with smaller steps (more blocks, smaller h) for a network that is an"
              + " ODE flow.%n",
          worst.discretisation().name(trained),
          drop,
          tolerance);
    }
    w.flush();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
