package org.revtrain.trainer.cli;

import org.revtrain.models.BlockKind;
import org.revtrain.models.Discretisation;
import org.revtrain.models.ModelSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --refine M} and {@code --solver KIND}: a trained network's ODE integrated another way with
 * the same weights ({@link Discretisation}), for {@code eval} and {@code train --init-from}.
 */
final class DiscretisationOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--refine",
      paramLabel = "M",
      description =
          "Integrate the network's ODE with every step split into M steps of h/M, same weights"
              + " (default: 1, as trained).")
  Integer refine;

  @Option(
      names = "--solver",
      paramLabel = "KIND",
      description =
          "Step the network's ODE with another solver of it, same weights: rk4 for a resnet or"
              + " euler network, euler for an rk4 one, hamiltonian-rk4 for a hamiltonian one"
              + " (default: the trained one).")
  String solver;

  /** Whether either option was given. */
  boolean given() {
    return refine != null || solver != null;
  }

  /** The option given first, for messages. */
  String flag() {
    return refine != null ? "--refine" : "--solver";
  }

  /**
   * The discretisation the options ask for, checked against {@code trained}.
   *
   * @throws ParameterException naming the option, for a refinement below 1, an unknown kind, or a
   *     discretisation the trained network's blocks do not allow
   */
  Discretisation of(ModelSpec trained) {
    if (refine != null && refine < 1) {
      throw usage("--refine must be at least 1, got " + refine);
    }
    try {
      Discretisation d =
          new Discretisation(
              solver == null ? null : BlockKind.byId(solver), refine == null ? 1 : refine);
      d.apply(trained);
      return d;
    } catch (IllegalArgumentException e) {
      throw usage(
          (solver != null ? "--solver " + solver : "--refine " + refine) + ": " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
