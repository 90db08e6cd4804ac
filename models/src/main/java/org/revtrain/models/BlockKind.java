package org.revtrain.models;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.revtrain.models.block.BottleneckRevNetBlock;
import org.revtrain.models.block.ForwardEulerBlock;
import org.revtrain.models.block.HamiltonianRungeKutta4Block;
import org.revtrain.models.block.LinearMultistepBlock;
import org.revtrain.models.block.RungeKutta4Block;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.ReversibleBlock;
import org.revtrain.reversible.ReversibleUnit;
import org.revtrain.reversible.block.AdditiveCouplingBlock;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.revtrain.reversible.block.LeapfrogBlock;
import org.revtrain.reversible.block.MidpointBlock;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The block kinds a model can be made of, by name: the one place kinds are chosen. F below is the
 * kind's field (see the block classes for its form and parameters).
 *
 * <table>
 *   <caption>block kinds</caption>
 *   <tr><th>kind</th><th>step</th><th>modes</th></tr>
 *   <tr><td>hamiltonian</td><td>Y' = Y + h K1^T σ(K1 Z + b1); Z' = Z − h K2^T σ(K2 Y' + b2)</td>
 *       <td>all</td></tr>
 *   <tr><td>midpoint(-antisymmetric)</td><td>Y_{j+1} = Y_{j−1} + 2h F(Y_j)</td><td>all</td></tr>
 *   <tr><td>leapfrog</td><td>Y_{j+1} = 2Y_j − Y_{j−1} − h² F(Y_j)</td><td>all</td></tr>
 *   <tr><td>revnet, revnet-bottleneck</td><td>Y1 = X1 + F(X2); Y2 = X2 + G(Y1)</td>
 *       <td>all</td></tr>
 *   <tr><td>resnet, euler</td><td>Y_{j+1} = Y_j + h_j F(Y_j)</td><td>stored</td></tr>
 *   <tr><td>rk4</td><td>Y_{j+1} = Y_j + (h/6)(k1 + 2k2 + 2k3 + k4)</td><td>stored</td></tr>
 *   <tr><td>hamiltonian-rk4</td><td>RK4 on Y' = K1^T σ(K1 Z + b1), Z' = −K2^T σ(K2 Y + b2)</td>
 *       <td>stored</td></tr>
 *   <tr><td>lm-resnet</td><td>u_{n+1} = (1−k_n) u_n + k_n u_{n−1} + h f(u_n)</td>
 *       <td>stored</td></tr>
 * </table>
 *
 * {@code hamiltonian-rk4} solves the Hamiltonian kind's ODE with its parameters (a solver crossover
 * for {@link Discretisation}). {@code resnet} and {@code euler} are the same block (forward Euler
 * on He et al.'s pre-activation basic block) under the two papers' names; the named {@code
 * resnet-*} models use h = 1, the {@code euler-*} ones non-uniform steps.
 */
public enum BlockKind {
  /** Chang et al.'s Hamiltonian (Verlet) block on channel halves (Y, Z). */
  HAMILTONIAN(
      "hamiltonian",
      true,
      "hamiltonian",
      new BlockFamily(HamiltonianBlock::new, StateLayout.CHANNEL_HALVES, 4)),
  /** Chang et al.'s midpoint block on time levels (Y_{j−1}, Y_j). */
  MIDPOINT(
      "midpoint",
      false,
      "midpoint",
      new BlockFamily(bn -> new MidpointBlock(false), StateLayout.TIME_LEVELS, 2)),
  /** The midpoint block with an antisymmetric field σ((K − K^T) Y + b). */
  MIDPOINT_ANTISYMMETRIC(
      "midpoint-antisymmetric",
      false,
      "midpoint-antisymmetric",
      new BlockFamily(bn -> new MidpointBlock(true), StateLayout.TIME_LEVELS, 2)),
  /** Chang et al.'s leapfrog block (a second-order ODE) on time levels. */
  LEAPFROG(
      "leapfrog",
      false,
      "leapfrog",
      new BlockFamily(bn -> new LeapfrogBlock(), StateLayout.TIME_LEVELS, 2)),
  /** Gomez et al.'s RevNet block: two additive couplings of residual functions. */
  REVNET(
      "revnet",
      true,
      null,
      new BlockFamily(AdditiveCouplingBlock::new, StateLayout.CHANNEL_HALVES, 4)),
  /** RevNet with bottleneck residual functions (1x1, 3x3, 1x1). */
  REVNET_BOTTLENECK(
      "revnet-bottleneck",
      true,
      null,
      new BlockFamily(BottleneckRevNetBlock::new, StateLayout.CHANNEL_HALVES, 6)),
  /** He et al.'s pre-activation basic block, read as a forward-Euler step with h = 1. */
  RESNET(
      "resnet",
      true,
      "pre-activation",
      new BlockFamily(ForwardEulerBlock::new, StateLayout.TIME_LEVELS, 2)),
  /** The same block as {@link #RESNET}, as a forward-Euler step of any h. */
  EULER(
      "euler",
      true,
      "pre-activation",
      new BlockFamily(ForwardEulerBlock::new, StateLayout.TIME_LEVELS, 2)),
  /** Eight layers per block: 2 per stage, counted as applied, as Chang et al. count K and K^T. */
  RK4(
      "rk4",
      true,
      "pre-activation",
      new BlockFamily(RungeKutta4Block::new, StateLayout.TIME_LEVELS, 8)),
  /** Sixteen layers per block: four per stage, counted as applied. */
  HAMILTONIAN_RK4(
      "hamiltonian-rk4",
      true,
      "hamiltonian",
      new BlockFamily(HamiltonianRungeKutta4Block::new, StateLayout.CHANNEL_HALVES, 16)),
  /** Lu et al.'s linear multi-step ResNet: a two-step scheme with trained coefficients k_n. */
  LM_RESNET(
      "lm-resnet",
      true,
      null,
      new BlockFamily(LinearMultistepBlock::new, StateLayout.TIME_LEVELS, 2));

  private final String id;
  private final boolean batchNorm;
  private final String ode;
  private final BlockFamily family;

  /**
   * @param ode the ODE the kind's blocks are time steps of, named so that kinds which solve the
   *     same ODE with the same parameters share it ("pre-activation": Y' = F_θ(t)(Y) with He et
   *     al.'s pre-activation field, stepped by forward Euler or RK4); null where a block is no
   *     fixed time step of an ODE (RevNet's coupling has no h; LM-ResNet's scheme coefficients k_n
   *     are trained)
   */
  BlockKind(String id, boolean batchNorm, String ode, BlockFamily family) {
    this.id = id;
    this.batchNorm = batchNorm;
    this.ode = ode;
    this.family = family;
  }

  /** {@return the name used in model names and on the command line} */
  public String id() {
    return id;
  }

  /**
   * Whether blocks of this kind can be inverted, so that a unit of them can train in REVERSIBLE or
   * CHECKPOINT mode; the others train in STORED mode only.
   *
   * @return whether the kind has an inverse
   */
  public boolean reversible() {
    return family.reversible();
  }

  /** {@return whether this kind has a batch-normalised variant} */
  public boolean supportsBatchNorm() {
    return batchNorm;
  }

  /** {@return convolution layers per block, for the convention depth = layers·blocks + 2} */
  public int convLayers() {
    return family.convLayers();
  }

  /**
   * Whether a block is a time step of size h of an ODE whose field has the block's weights, so that
   * a trained network can be integrated with smaller steps ({@link Discretisation}).
   *
   * @return whether the block is a time step of an ODE
   */
  public boolean timeStepped() {
    return ode != null;
  }

  /**
   * Whether {@code other} steps the same ODE with the same parameters, so that a network trained
   * with one can be evaluated with the other (the solver crossover of {@link Discretisation}).
   *
   * @param other another kind
   * @return whether the two step the same ODE with the same parameters
   */
  public boolean solvesSameOdeAs(BlockKind other) {
    return ode != null && ode.equals(other.ode);
  }

  /**
   * Whether {@code other} builds the same step as this kind under another name ({@code resnet} and
   * {@code euler}).
   *
   * @param other another kind
   * @return whether the two build the same step
   */
  public boolean sameStepAs(BlockKind other) {
    return family.step().equals(other.family.step());
  }

  /** {@return how the kind's two-tensor state relates to the features} */
  public StateLayout layout() {
    return family.layout();
  }

  /**
   * Whether a unit of this kind can compute its gradients in {@code mode}.
   *
   * @param mode a gradient mode
   * @return whether the kind trains in it
   */
  public boolean supports(GradientMode mode) {
    return family.supports(mode);
  }

  /** {@return the gradient modes this kind supports, as the command line spells them} */
  public String modes() {
    return family.modes();
  }

  /**
   * Fails unless this kind supports {@code mode}.
   *
   * @param mode a gradient mode
   * @throws IllegalArgumentException naming the kind and the modes it supports
   */
  public void checkMode(GradientMode mode) {
    if (!supports(mode)) {
      throw new IllegalArgumentException(
          id
              + " blocks are not invertible: they cannot run in "
              + mode
              + " mode; "
              + id
              + " models support only: "
              + modes());
    }
  }

  /**
   * A reversible block of this kind.
   *
   * @param batchNorm whether the fields normalise
   * @return the block
   * @throws IllegalArgumentException for a kind that is not {@link #reversible()}, or a
   *     batch-normalised variant that does not exist
   */
  public ReversibleBlock block(boolean batchNorm) {
    checkBatchNorm(batchNorm);
    if (!(family.block(batchNorm) instanceof ReversibleBlock block)) {
      throw new IllegalArgumentException(
          id + " blocks are not invertible: there is no reversible " + id + " block");
    }
    return block;
  }

  /**
   * The parameters of one block whose state tensors have {@code channels} channels.
   *
   * @param batchNorm whether the fields normalise
   * @param channels the channels of each state tensor
   * @return the parameters of one block
   */
  public List<ParameterSpec> parameters(boolean batchNorm, int channels) {
    checkBatchNorm(batchNorm);
    return family.parameters(batchNorm, channels);
  }

  /** Builds one unit of this kind, its variables in {@code tf}'s graph. */
  <T extends TFloating> ReversibleUnit<T> unit(Ops tf, Class<T> dtype, UnitConfig config) {
    checkBatchNorm(config.batchNorm());
    checkMode(config.mode());
    return family.unit(tf, dtype, config);
  }

  private void checkBatchNorm(boolean on) {
    if (on && !batchNorm) {
      throw new IllegalArgumentException(id + " blocks have no batch-normalised variant");
    }
  }

  /**
   * The kind called {@code id}; fails listing the known kinds.
   *
   * @param id the kind's name, e.g. {@code hamiltonian}
   * @return the kind
   */
  public static BlockKind byId(String id) {
    String want = id.toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(k -> k.id.equals(want))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown block kind '"
                        + id
                        + "'; known: "
                        + Arrays.stream(values()).map(BlockKind::id).toList()));
  }
}
