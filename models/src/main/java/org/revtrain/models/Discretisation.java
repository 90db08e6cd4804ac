package org.revtrain.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Another numerical solution of a trained network's ODE, for the checks of Ott et al., "ResNet
 * After All? Neural ODEs and Their Numerical Solution" (ICLR 2021): if the trained network is the
 * flow of an ODE, integrating the same field with smaller steps, or with another solver of no
 * larger error, keeps its accuracy; a network that has learnt its discretisation loses it.
 *
 * <p>Block j of a unit holds the weights θ_j of the field on [t_j, t_j + h_j). Refining by m
 * integrates that piecewise-constant field with m steps of h_j/m, each with θ_j (and θ_j's
 * batch-norm running statistics):
 *
 * <pre>  Y_{j+1} = Φ_{h_j/m}^θ_j ∘ … ∘ Φ_{h_j/m}^θ_j (Y_j)      (m steps)</pre>
 *
 * where Φ is the kind's step map (for the two-level schemes, midpoint and leapfrog, the scheme
 * continues over the finer grid). A solver crossover replaces Φ by another solver of the same ODE
 * with the same parameters ({@link BlockKind#solvesSameOdeAs}: forward Euler and classical RK4 on
 * the pre-activation field; Chang et al.'s Verlet step and RK4 on the Hamiltonian system). Under
 * stochastic depth a refined step's survival rescaling follows its position in the finer grid,
 * which moves it by less than (1 − p_L)/L.
 *
 * @param solver the kind that steps the ODE, or null for the trained network's own
 * @param refinement m ≥ 1, the steps each trained step is split into
 */
public record Discretisation(BlockKind solver, int refinement) {
  /** The trained network as it is. */
  public static final Discretisation AS_TRAINED = new Discretisation(null, 1);

  /**
   * Checks the refinement.
   *
   * @param solver the kind that steps the ODE, or null for the trained network's own
   * @param refinement m ≥ 1, the steps each trained step is split into
   */
  public Discretisation {
    if (refinement < 1) {
      throw new IllegalArgumentException("refinement must be at least 1, got " + refinement);
    }
  }

  /**
   * The trained solver with each step split into {@code m}.
   *
   * @param m the steps each trained step is split into, at least 1
   * @return the discretisation
   */
  public static Discretisation refined(int m) {
    return new Discretisation(null, m);
  }

  /**
   * {@code kind}'s solver with the trained step sizes.
   *
   * @param kind a kind that solves the trained kind's ODE
   * @return the discretisation
   */
  public static Discretisation solvedWith(BlockKind kind) {
    return new Discretisation(Objects.requireNonNull(kind, "kind"), 1);
  }

  /**
   * Whether this leaves {@code trained} as it is.
   *
   * @param trained the trained network's spec
   * @return whether it is unchanged: its own solver, m = 1
   */
  public boolean leaves(ModelSpec trained) {
    return refinement == 1 && (solver == null || solver == trained.kind());
  }

  /**
   * The network that integrates {@code trained}'s ODE this way: the same units, filters, batch norm
   * and stochastic depth; {@code refinement} times the blocks, each unit's step sizes h_j/m, each
   * repeated m times; the blocks of {@link #solver}.
   *
   * @param trained the trained network's spec
   * @return the spec of the network that integrates it this way
   * @throws IllegalArgumentException if {@code trained}'s blocks are no time steps of an ODE and
   *     this refines them, or if {@link #solver} does not solve the same ODE with the same
   *     parameters
   */
  public ModelSpec apply(ModelSpec trained) {
    BlockKind kind = solver == null ? trained.kind() : solver;
    if (!kind.equals(trained.kind()) && !trained.kind().solvesSameOdeAs(kind)) {
      throw new IllegalArgumentException(
          trained.name()
              + " ("
              + trained.kind().id()
              + " blocks) cannot be solved with "
              + kind.id()
              + " steps: they do not step the same ODE with the same parameters");
    }
    if (refinement > 1 && !trained.kind().timeStepped()) {
      throw new IllegalArgumentException(
          trained.name()
              + ": "
              + trained.kind().id()
              + " blocks are no time steps of an ODE, so they"
              + " cannot be refined");
    }
    int[] blocks = Arrays.stream(trained.blocksPerUnit()).map(n -> n * refinement).toArray();
    double[] h = new double[Arrays.stream(blocks).sum()];
    int i = 0;
    for (int u = 0; u < trained.units(); u++) {
      for (double step : trained.stepSizes(u)) {
        for (int k = 0; k < refinement; k++) {
          h[i++] = step / refinement;
        }
      }
    }
    return ModelSpec.builder(kind)
        .name(name(trained))
        .blocksPerUnit(blocks)
        .filters(trained.filters())
        .stepSizes(h)
        .batchNorm(trained.batchNorm())
        .finalSurvival(trained.finalSurvival())
        .float64State(trained.float64State())
        .build();
  }

  /**
   * The values of parameter {@code parameter} of {@link #apply}'s network, from those of the
   * trained network's parameter of the same name: a unit's stacked parameter has each block's row
   * repeated {@code refinement} times, the others are the same.
   *
   * @param parameter a parameter of the applied network
   * @param trained the trained values of the parameter of its name
   * @return its values
   */
  public double[] values(NetworkParameter<?> parameter, double[] trained) {
    return values(parameter.name(), parameter.blocks(), trained);
  }

  /** {@link #values(NetworkParameter, double[])} of a parameter stacking {@code blocks} blocks. */
  double[] values(String name, int blocks, double[] trained) {
    if (blocks == 0 || refinement == 1) {
      return trained;
    }
    if (blocks % refinement != 0 || trained.length % (blocks / refinement) != 0) {
      throw new IllegalArgumentException(
          name + ": " + trained.length + " values do not stack " + blocks / refinement + " blocks");
    }
    int row = trained.length / (blocks / refinement);
    double[] refined = new double[row * blocks];
    for (int b = 0; b < blocks; b++) {
      System.arraycopy(trained, (b / refinement) * row, refined, b * row, row);
    }
    return refined;
  }

  /**
   * The values of every variable of {@code network}, a network {@link #apply} built, from the
   * trained network's values by name ({@link #values(NetworkParameter, double[])} each).
   *
   * @param network a network {@link #apply} built
   * @param trained the trained network's values by variable name
   * @return the values of every variable of {@code network}, by name
   */
  public Map<String, double[]> values(Network<?> network, Map<String, double[]> trained) {
    Map<String, double[]> mapped = new LinkedHashMap<>();
    network.parameters().forEach((name, p) -> mapped.put(name, values(p, trained.get(name))));
    return mapped;
  }

  /**
   * {@code trained}'s name with this discretisation, e.g. {@code euler-20 [rk4, h/2]}.
   *
   * @param trained the trained network's spec
   * @return the name
   */
  public String name(ModelSpec trained) {
    if (leaves(trained)) {
      return trained.name();
    }
    String with = solver == null || solver == trained.kind() ? trained.kind().id() : solver.id();
    return trained.name() + " [" + with + (refinement == 1 ? "" : ", h/" + refinement) + "]";
  }
}
