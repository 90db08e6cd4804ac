package org.revtrain.models;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.revtrain.reversible.StepSizes;
import org.tensorflow.types.family.TFloating;

/**
 * The architecture of a network: stem (3x3 conv, BN, ReLU) → units of blocks of one {@link
 * BlockKind}, with a transition between units (2x2 average pooling of each state tensor, channels
 * zero-padded to the next unit's width) → BN, ReLU → global average pool → fully connected.
 *
 * <p>Depth counts convolution layers as Chang et al. do: {@code convLayers·blocks + 2}. Step sizes
 * h_j are one scalar or one value per block; stochastic depth is set by the last block's survival
 * probability p_L (see {@link Builder#finalSurvival}).
 */
public final class ModelSpec {
  private static final boolean DEFAULT_FLOAT64_STATE = true;

  private final String name;
  private final BlockKind kind;
  private final int[] blocksPerUnit;
  private final int[] filters;
  private final double stepSize;
  private final double[] stepSizes;
  private final boolean batchNorm;
  private final double finalSurvival;
  private final boolean float64State;
  private final Class<? extends TFloating> fieldType;

  private ModelSpec(Builder b) {
    this.name = b.name;
    this.kind = b.kind;
    this.blocksPerUnit = b.blocksPerUnit.clone();
    this.filters = b.filters.clone();
    this.stepSize = b.stepSize;
    this.stepSizes = b.stepSizes == null ? null : b.stepSizes.clone();
    this.batchNorm = b.batchNorm;
    this.finalSurvival = b.finalSurvival;
    this.float64State = b.float64State;
    this.fieldType = b.fieldType;
  }

  /**
   * Starts a model of {@code kind} blocks (defaults: 3x3 blocks, filters 32, 32, 64, 112, h = 1).
   *
   * @param kind the kind of every block
   * @return a builder with the defaults
   */
  public static Builder builder(BlockKind kind) {
    return new Builder(kind);
  }

  /** {@return the model's name, e.g. {@code resnet-32}} */
  public String name() {
    return name;
  }

  /** {@return the kind of every block} */
  public BlockKind kind() {
    return kind;
  }

  /** {@return number of units} */
  public int units() {
    return blocksPerUnit.length;
  }

  /**
   * The smallest image height and width the network takes: each of the {@code units() − 1}
   * transitions halves them (2x2 pooling, rounding down), and the last unit needs one pixel.
   *
   * @return 2^(units − 1)
   */
  public int smallestImageSide() {
    return 1 << (units() - 1);
  }

  /**
   * Blocks of unit {@code unit}.
   *
   * @param unit u, from 0 at the bottom
   * @return the number of blocks of unit u
   */
  public int blocks(int unit) {
    return blocksPerUnit[unit];
  }

  /** {@return blocks of the whole network, L} */
  public int totalBlocks() {
    return Arrays.stream(blocksPerUnit).sum();
  }

  /**
   * Feature channels of the stem (index 0) and of unit u (index u + 1).
   *
   * @param index 0 for the stem, u + 1 for unit u
   * @return the channels there
   */
  public int filters(int index) {
    return filters[index];
  }

  /** {@return blocks of each unit (a copy)} */
  public int[] blocksPerUnit() {
    return blocksPerUnit.clone();
  }

  /** {@return channels of the stem, then of each unit (a copy)} */
  public int[] filters() {
    return filters.clone();
  }

  /** {@return whether the blocks normalise inside their fields} */
  public boolean batchNorm() {
    return batchNorm;
  }

  /** {@return survival probability p_L of the last block (1: no stochastic depth)} */
  public double finalSurvival() {
    return finalSurvival;
  }

  /**
   * Whether the reversible units carry their state in float64 whatever the network's type (see
   * {@link Builder#float64State}).
   *
   * @return whether the state is carried in float64
   */
  public boolean float64State() {
    return float64State;
  }

  /**
   * The type the reversible units' fields compute in, when it differs from the network's (see
   * {@link Builder#fieldType}); empty: the network's own.
   *
   * @return the fields' type, or empty
   */
  public Optional<Class<? extends TFloating>> fieldType() {
    return Optional.ofNullable(fieldType);
  }

  /**
   * Step sizes of unit u's blocks.
   *
   * @param unit u, from 0 at the bottom
   * @return h of each of its blocks, a copy
   */
  public double[] stepSizes(int unit) {
    double[] h = new double[blocksPerUnit[unit]];
    int offset = 0;
    for (int u = 0; u < unit; u++) {
      offset += blocksPerUnit[u];
    }
    for (int j = 0; j < h.length; j++) {
      h[j] = stepSizes == null ? stepSize : stepSizes[offset + j];
    }
    return h;
  }

  /** {@return step sizes of every block of the network, unit after unit (a copy)} */
  public double[] stepSizes() {
    if (stepSizes != null) {
      return stepSizes.clone();
    }
    double[] h = new double[totalBlocks()];
    Arrays.fill(h, stepSize);
    return h;
  }

  /** {@return depth in convolution layers: convLayers per block · blocks + stem + classifier} */
  public int layers() {
    return kind.convLayers() * totalBlocks() + 2;
  }

  /**
   * This spec under another name.
   *
   * @param newName the other name
   * @return a copy of this spec with that name
   */
  public ModelSpec withName(String newName) {
    Builder b = toBuilder();
    b.name = newName;
    return b.build();
  }

  /** {@return a builder holding this spec's settings} */
  public Builder toBuilder() {
    Builder b = new Builder(kind);
    b.name = name;
    b.blocksPerUnit = blocksPerUnit.clone();
    b.filters = filters.clone();
    b.stepSize = stepSize;
    b.stepSizes = stepSizes == null ? null : stepSizes.clone();
    b.batchNorm = batchNorm;
    b.finalSurvival = finalSurvival;
    b.float64State = float64State;
    b.fieldType = fieldType;
    return b;
  }

  @Override
  public String toString() {
    return name
        + " ("
        + kind.id()
        + ", blocks "
        + Arrays.toString(blocksPerUnit)
        + ", filters "
        + Arrays.toString(filters)
        + ", layers "
        + layers()
        + ")";
  }

  /**
   * Whether {@code o} is a spec of the same name and network: every setting equal, step sizes
   * compared block by block (one h for all blocks equals that h given for each).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec m
        && Objects.equals(name, m.name)
        && kind == m.kind
        && Arrays.equals(blocksPerUnit, m.blocksPerUnit)
        && Arrays.equals(filters, m.filters)
        && Arrays.equals(stepSizes(), m.stepSizes())
        && batchNorm == m.batchNorm
        && Double.compare(finalSurvival, m.finalSurvival) == 0
        && float64State == m.float64State
        && fieldType == m.fieldType;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        kind,
        Arrays.hashCode(blocksPerUnit),
        Arrays.hashCode(filters),
        Arrays.hashCode(stepSizes()),
        batchNorm,
        finalSurvival,
        float64State,
        fieldType);
  }

  /** Configuration of a {@link ModelSpec}. */
  public static final class Builder {
    private final BlockKind kind;
    private String name;
    private int[] blocksPerUnit = {3, 3, 3};
    private int[] filters = {32, 32, 64, 112};
    private double stepSize = 1.0;
    private double[] stepSizes;
    private boolean batchNorm;
    private double finalSurvival = 1.0;
    private boolean float64State = DEFAULT_FLOAT64_STATE;
    private Class<? extends TFloating> fieldType;

    private Builder(BlockKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.name = kind.id() + "-custom";
    }

    /**
     * The model's name (default {@code KIND-custom}).
     *
     * @param n the name
     * @return this builder
     */
    public Builder name(String n) {
      this.name = n;
      return this;
    }

    /**
     * Blocks in each unit, e.g. {3, 3, 3}.
     *
     * @param blocks the blocks of each unit, bottom first, each at least 1
     * @return this builder
     */
    public Builder blocksPerUnit(int... blocks) {
      if (blocks.length == 0) {
        throw new IllegalArgumentException("a model needs at least one unit");
      }
      for (int b : blocks) {
        if (b < 1) {
          throw new IllegalArgumentException(
              "every unit needs at least 1 block, got " + Arrays.toString(blocks));
        }
      }
      this.blocksPerUnit = blocks.clone();
      return this;
    }

    /**
     * Channels of the stem then of each unit, e.g. {32, 32, 64, 112}.
     *
     * @param f the stem's channels, then each unit's, never shrinking
     * @return this builder
     */
    public Builder filters(int... f) {
      for (int c : f) {
        if (c < 1) {
          throw new IllegalArgumentException("filters must be positive, got " + Arrays.toString(f));
        }
      }
      this.filters = f.clone();
      return this;
    }

    /**
     * One step size h > 0 for every block.
     *
     * @param h the step size, &gt; 0
     * @return this builder
     */
    public Builder stepSize(double h) {
      this.stepSize = StepSizes.require(h);
      this.stepSizes = null;
      return this;
    }

    /**
     * One step size per block of the whole network (non-uniform steps).
     *
     * @param h h of each block of the network, bottom unit first
     * @return this builder
     */
    public Builder stepSizes(double... h) {
      this.stepSizes = StepSizes.require(h, -1);
      return this;
    }

    /**
     * Batch normalisation inside the blocks' fields (kinds that have the variant only).
     *
     * @param on whether the fields normalise
     * @return this builder
     */
    public Builder batchNorm(boolean on) {
      this.batchNorm = on;
      return this;
    }

    /**
     * Stochastic depth: block l of L survives training steps with probability 1 − (l/L)(1 − p_L); 1
     * turns it off.
     *
     * @param pL p_L in (0, 1]
     * @return this builder
     */
    public Builder finalSurvival(double pL) {
      if (!(pL > 0 && pL <= 1)) {
        throw new IllegalArgumentException(
            "final survival probability must be in (0, 1], got " + pL);
      }
      this.finalSurvival = pL;
      return this;
    }

    /**
     * Carry the state (Y, Z) of the reversible units, and its adjoint, in float64 while their
     * fields (convolutions, batch norm) run in the network's type: the sums c·P + g(Q) then lose
     * nothing, the reconstructing backward recovers every block's input exactly, and REVERSIBLE
     * gradients equal STORED ones instead of drifting with float32 rounding over depth (see {@code
     * ReversibleUnitBuilder#stateType}). Costs the state and its adjoint at twice the width. No
     * effect on float64 networks or on units of explicit blocks (STORED, nothing to reconstruct).
     * On by default.
     *
     * @param on whether to carry the state in float64
     * @return this builder
     */
    public Builder float64State(boolean on) {
      this.float64State = on;
      return this;
    }

    /**
     * Mixed precision: the reversible units' fields (convolutions, batch norm) compute in {@code
     * type}, e.g. {@code TBfloat16}, while the weights stay in the network's type as master copies
     * that the optimizer updates, and the state is carried as {@link #float64State} says; the stem,
     * transitions, classifier head and loss stay in the network's type (see {@code
     * ReversibleUnitBuilder#fieldType}). Null: the network's own type. Only for kinds whose blocks
     * are reversible.
     *
     * @param type the fields' type, or null for the network's
     * @return this builder
     */
    public Builder fieldType(Class<? extends TFloating> type) {
      this.fieldType = type;
      return this;
    }

    /**
     * @return the spec
     * @throws IllegalArgumentException if the filters do not match the units, shrink, or cannot be
     *     split as the kind needs, if the step sizes do not match the blocks, if the kind has no
     *     batch-normalised variant and batch norm is on, or if a field type is set for a kind whose
     *     blocks are not reversible
     */
    public ModelSpec build() {
      if (batchNorm && !kind.supportsBatchNorm()) {
        throw new IllegalArgumentException(kind.id() + " blocks have no batch-normalised variant");
      }
      if (fieldType != null && !kind.reversible()) {
        throw new IllegalArgumentException(
            kind.id()
                + " blocks are not reversible and compute in the network's own type: mixed"
                + " precision is for reversible kinds");
      }
      if (filters.length != blocksPerUnit.length + 1) {
        throw new IllegalArgumentException(
            "filters must list the stem's and each unit's channels: "
                + (blocksPerUnit.length + 1)
                + " values for "
                + blocksPerUnit.length
                + " units, got "
                + Arrays.toString(filters));
      }
      for (int u = 0; u < blocksPerUnit.length; u++) {
        kind.layout().stateChannels(filters[u + 1], kind.id());
        if (filters[u + 1] < filters[u]) {
          throw new IllegalArgumentException(
              "filters must not shrink from one stage to the next, got "
                  + Arrays.toString(filters));
        }
      }
      if (stepSizes != null) {
        StepSizes.require(stepSizes, Arrays.stream(blocksPerUnit).sum());
      }
      return new ModelSpec(this);
    }
  }
}
