package org.revtrain.reversible;

import java.util.Arrays;
import java.util.Objects;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/** Configuration of a {@link ReversibleUnit}: start with {@link ReversibleUnit#builder}. */
public final class ReversibleUnitBuilder {
  final Block block;
  int blocks = 1;
  int channels = -1;
  private double stepSize = 1.0;
  private double[] stepSizes;
  GradientMode mode;
  String name = "unit";
  long seed = 1;
  double initScale = 1.0;
  private Class<? extends TFloating> stateType;
  private Class<? extends TFloating> fieldType;
  boolean referenceVariables;
  Double statisticsMomentum;

  ReversibleUnitBuilder(Block block) {
    this.block = Objects.requireNonNull(block, "block kind");
    this.mode = block instanceof ExplicitBlock ? GradientMode.stored() : GradientMode.reversible();
  }

  /**
   * Sets the number of blocks n (default 1).
   *
   * @param n at least 1
   * @return this builder
   */
  public ReversibleUnitBuilder blocks(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a unit needs at least 1 block, got " + n);
    }
    this.blocks = n;
    return this;
  }

  /**
   * Sets the channels of each of the two state tensors (required).
   *
   * @param c at least 1
   * @return this builder
   */
  public ReversibleUnitBuilder channels(int c) {
    if (c < 1) {
      throw new IllegalArgumentException("channels must be positive, got " + c);
    }
    this.channels = c;
    return this;
  }

  /**
   * Sets one step size for every block (default 1).
   *
   * @param h the step size, &gt; 0
   * @return this builder
   */
  public ReversibleUnitBuilder stepSize(double h) {
    this.stepSize = StepSizes.require(h);
    this.stepSizes = null;
    return this;
  }

  /**
   * Sets non-uniform step sizes, one per block.
   *
   * @param h h_0 … h_{n−1}, each &gt; 0; their count must equal the block count at {@link #build}
   * @return this builder
   */
  public ReversibleUnitBuilder stepSizes(double... h) {
    this.stepSizes = StepSizes.require(h, -1);
    return this;
  }

  /**
   * How gradients are taken (default REVERSIBLE; STORED for an {@link ExplicitBlock}, the only mode
   * it has).
   *
   * @param m the gradient mode
   * @return this builder
   * @throws IllegalArgumentException for a mode other than STORED on an explicit block
   */
  public ReversibleUnitBuilder mode(GradientMode m) {
    Objects.requireNonNull(m, "mode");
    if (block instanceof ExplicitBlock && !(m instanceof GradientMode.Stored)) {
      throw new IllegalArgumentException(
          block.getClass().getSimpleName()
              + " blocks have no inverse: they train in stored mode only, not "
              + m);
    }
    this.mode = m;
    return this;
  }

  /**
   * Sets the prefix of the unit's variable names (default {@code unit}); give each unit of a graph
   * its own.
   *
   * @param n a letter, then letters, digits, '_' or '.'
   * @return this builder
   */
  public ReversibleUnitBuilder name(String n) {
    if (!n.matches("[A-Za-z][A-Za-z0-9_.]*")) {
      throw new IllegalArgumentException(
          "unit name '" + n + "' must start with a letter and use letters, digits, '_' or '.'");
    }
    this.name = n;
    return this;
  }

  /**
   * Sets the seed of the initial weights (default 1).
   *
   * @param s any seed; the same seed gives the same weights
   * @return this builder
   */
  public ReversibleUnitBuilder seed(long s) {
    this.seed = s;
    return this;
  }

  /**
   * Sets the multiplier of the He-normal standard deviation of the kernels (default 1).
   *
   * @param s the multiplier, &gt; 0
   * @return this builder
   */
  public ReversibleUnitBuilder initScale(double s) {
    if (!(s > 0)) {
      throw new IllegalArgumentException("init scale must be > 0, got " + s);
    }
    this.initScale = s;
    return this;
  }

  /**
   * Carry and update the state (Y, Z) and its adjoint in {@code type} instead of the unit's own
   * type T; the blocks' fields still run in T, on the state rounded to T. With T = float32 and S =
   * float64, c·P + g(Q) loses nothing a float64 can hold, so the reconstructing backward recovers
   * each block's input to float64 rounding, and the rounding of Q to float32 that the fields see is
   * the same in the inverse as in the forward: REVERSIBLE gradients then match STORED ones of the
   * same unit instead of drifting with float32's rounding of the sums. Costs two more state-sized
   * tensors' worth of width (the state and its adjoint) and a cast per coupling. Every mode
   * computes the same function with the same state type. Default: T. Explicit blocks carry their
   * state in T.
   *
   * @param type T itself or {@code TFloat64}
   * @return this builder
   */
  public ReversibleUnitBuilder stateType(Class<? extends TFloating> type) {
    this.stateType = Objects.requireNonNull(type, "state type");
    return this;
  }

  @SuppressWarnings("unchecked")
  Class<TFloating> resolvedStateType(Class<? extends TFloating> dtype) {
    Class<? extends TFloating> s = stateType == null ? dtype : stateType;
    if (s != dtype && (s != TFloat64.class || block instanceof ExplicitBlock)) {
      throw new IllegalArgumentException(
          "state type must be the unit's own type ("
              + dtype.getSimpleName()
              + (block instanceof ExplicitBlock ? ") for explicit blocks" : ") or TFloat64")
              + ", got "
              + s.getSimpleName());
    }
    return (Class<TFloating>) s;
  }

  /**
   * Run the blocks' fields (convolutions, batch norm, activations) in {@code type}, narrower than
   * the unit's type T: mixed precision, e.g. bfloat16 fields on float32 weights. The variables stay
   * in T as master copies; each block casts its slices θ_j, h_j and κ_j to {@code type} where its
   * fields read them, and the state Q a field reads is rounded to {@code type}. Gradients flow back
   * through the casts, so the parameters' gradients and every update (the fused per-block one
   * included) are in T; a field's vector-Jacobian product runs in {@code type}, on the adjoint
   * rounded to it. The sums c·P + g(Q) and the adjoint's sums are formed in the state type S
   * ({@link #stateType}), as without this option: the inverse evaluates g at the same rounded Q as
   * the forward, so it subtracts exactly the g the forward added, and whether the sum itself rounds
   * is S's question: a float64 state holds the sum of a float32 input and bfloat16 updates exactly.
   * Every mode computes the same function. Default: T. Explicit blocks compute in T.
   *
   * @param type T itself, or for a TFloat32 or TFloat64 unit TBfloat16 or TFloat16
   * @return this builder
   */
  public ReversibleUnitBuilder fieldType(Class<? extends TFloating> type) {
    this.fieldType = Objects.requireNonNull(type, "field type");
    return this;
  }

  Class<? extends TFloating> resolvedFieldType(Class<? extends TFloating> dtype) {
    Class<? extends TFloating> f = fieldType == null ? dtype : fieldType;
    boolean wide = dtype == TFloat32.class || dtype == TFloat64.class;
    boolean narrow = f == TBfloat16.class || f == TFloat16.class;
    if (f != dtype && (!wide || !narrow || block instanceof ExplicitBlock)) {
      throw new IllegalArgumentException(
          "field type must be the unit's own type ("
              + dtype.getSimpleName()
              + (block instanceof ExplicitBlock
                  ? ") for explicit blocks"
                  : ") or, for a TFloat32 or TFloat64 unit, TBfloat16 or TFloat16")
              + ", got "
              + f.getSimpleName());
    }
    return f;
  }

  /**
   * Keeps the trainable weights in {@link ReferenceVariable}s ({@code VariableV2}), the kind
   * TensorFlow Java's framework optimizers find and update: {@code Optimizer.minimize(loss)} then
   * trains the unit through {@code Graph.addGradients}, which runs the unit's reconstructing
   * backward pass. Such a unit's loops read each weight whole (in place, no copy), and it takes no
   * per-block update ({@link ReversibleUnit#backward(org.tensorflow.op.Ops, Sweep, State,
   * BlockUpdate)}). Running statistics stay {@link ResourceVariable}s: {@code minimize}
   * differentiates the loss with respect to every reference variable of the graph, and fails on one
   * the loss does not reach. Default: {@link ResourceVariable}s throughout.
   *
   * @return this builder
   */
  public ReversibleUnitBuilder referenceVariables() {
    this.referenceVariables = true;
    return this;
  }

  /**
   * Makes every TRAINING sweep update the running statistics itself, s ← m·s + (1 − m)·ŝ, as part
   * of computing its output: a step that runs the sweep once (a training op, a loss) updates them
   * once, with no separate call. Without it they move only through {@link
   * ReversibleUnit#updateStatistics}.
   *
   * @param momentum m in [0, 1]
   * @return this builder
   */
  public ReversibleUnitBuilder statisticsMomentum(double momentum) {
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("statistics momentum must be in [0, 1], got " + momentum);
    }
    this.statisticsMomentum = momentum;
    return this;
  }

  double[] stepSizes() {
    if (stepSizes == null) {
      double[] h = new double[blocks];
      Arrays.fill(h, stepSize);
      return h;
    }
    return StepSizes.require(stepSizes, blocks);
  }

  /**
   * Creates the unit and its variables in {@code tf}'s graph.
   *
   * @param <T> the unit's element type T
   * @param tf ops of the graph to build in
   * @param dtype T: {@code TFloat32} or {@code TFloat64}, say
   * @return the unit; close it when its graph is no longer run
   * @throws IllegalArgumentException if the channels are not set or a setting does not fit
   */
  public <T extends TFloating> ReversibleUnit<T> build(Ops tf, Class<T> dtype) {
    if (channels < 1) {
      throw new IllegalArgumentException("set the unit's channels before build()");
    }
    return new ReversibleUnit<>(this, tf, dtype);
  }
}
