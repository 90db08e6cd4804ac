package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A unit: n blocks of one {@link Block} kind acting on a two-tensor state, S_{j+1} = Φ_j(S_j), with
 * the per-block parameters θ_j stacked along a leading block axis ([n, ...]) and per-block step
 * sizes h_j. Its {@link GradientMode} chooses how the backward pass gets
 *
 * <pre>  (dS_0, dθ) = ((∂S_n/∂S_0)^T dS_n, (∂S_n/∂θ)^T dS_n):</pre>
 *
 * <ul>
 *   <li>REVERSIBLE keeps only the unit's output and rebuilds each block's input by inverting the
 *       block, from the top, taking that block's local vector-Jacobian product (the recurrence is
 *       written out in the reconstructing strategy);
 *   <li>CHECKPOINT(k) also stores every k-th block input and resets the reconstruction there;
 *   <li>STORED differentiates the unrolled blocks (the baseline; the only mode of an {@link
 *       ExplicitBlock}).
 * </ul>
 *
 * <p>The reconstructing modes run their blocks in functional while loops whose bodies are built
 * once, so neither the graph nor the activation memory grows with n. The stacked parameters are
 * {@link ResourceVariable}s; block j reads its own slice θ_j, and the backward either returns every
 * dθ_j stacked or, given a {@link BlockUpdate}, updates θ_j in place as soon as dθ_j exists.
 *
 * <p>The state and its adjoint may be carried in a wider type S than the unit's T ({@link
 * ReversibleUnitBuilder#stateType}): the fields then run in T on the state rounded to T, and only
 * the sums c·P + g and the adjoint's sums are formed in S. With T = float32 and S = float64 those
 * sums are exact, and the reconstruction recovers every block's input bit for bit. One step further
 * down, the fields may compute in a narrower type F than T ({@link
 * ReversibleUnitBuilder#fieldType}, e.g. bfloat16 fields on float32 weights and a float32 or
 * float64 state): the inverse still evaluates g at the same rounded Q, so with a float64 state the
 * reconstruction stays exact.
 *
 * <p>Owns the native functions of its loops: close it when the graph is no longer run (before or
 * after the graph itself).
 */
public final class ReversibleUnit<T extends TFloating> implements AutoCloseable {
  private final Block block;
  private final int blocks;
  private final int channels;
  private final double[] stepSizes;
  private final GradientMode mode;
  private final Class<T> dtype;
  private final Class<TFloating> stateType;
  private final Class<? extends TFloating> fieldType;
  private final String name;
  private final List<UnitParameter<T>> parameters;
  private final GradientStrategy strategy;
  private final List<AutoCloseable> natives = new ArrayList<>();
  private final boolean referenceVariables;
  private final Double statisticsMomentum;

  ReversibleUnit(ReversibleUnitBuilder b, Ops tf, Class<T> dtype) {
    this.block = b.block;
    this.blocks = b.blocks;
    this.channels = b.channels;
    this.stepSizes = b.stepSizes();
    this.mode = b.mode;
    this.dtype = dtype;
    this.stateType = b.resolvedStateType(dtype);
    this.fieldType = b.resolvedFieldType(dtype);
    this.name = b.name;
    this.strategy = GradientStrategy.of(mode);
    this.referenceVariables = b.referenceVariables;
    this.statisticsMomentum = b.statisticsMomentum;
    List<UnitParameter<T>> ps = new ArrayList<>();
    List<ParameterSpec> specs = block.parameters(channels);
    for (int k = 0; k < specs.size(); k++) {
      ParameterSpec spec = specs.get(k);
      long stream = 1000L * name.hashCode() + k;
      Operand<T> init = block.initialValue(tf, dtype, spec, blocks, b.seed, stream, b.initScale);
      String variable = name + "." + spec.name();
      ps.add(
          new UnitParameter<>(
              this,
              spec,
              b.referenceVariables && spec.trainable()
                  ? ReferenceVariable.create(tf, variable, init)
                  : ResourceVariable.create(tf, variable, init)));
    }
    this.parameters = List.copyOf(ps);
  }

  /**
   * Starts configuring a unit of {@code block}s.
   *
   * @param block the kind of every block of the unit
   * @return a builder with this block kind and the defaults
   */
  public static ReversibleUnitBuilder builder(Block block) {
    return new ReversibleUnitBuilder(block);
  }

  /** {@return the kind of the unit's blocks} */
  public Block block() {
    return block;
  }

  /** {@return the number of blocks n} */
  public int blocks() {
    return blocks;
  }

  /** {@return the channels of each of the two state tensors} */
  public int channels() {
    return channels;
  }

  /** {@return how the unit's backward pass gets its inputs: stored, checkpointed or rebuilt} */
  public GradientMode mode() {
    return mode;
  }

  /** {@return the prefix of the unit's variable names} */
  public String name() {
    return name;
  }

  /** {@return the unit's element type T} */
  public Class<T> dtype() {
    return dtype;
  }

  /**
   * {@return the type S the state is carried and updated in} See {@link
   * ReversibleUnitBuilder#stateType}.
   */
  public Class<TFloating> stateType() {
    return stateType;
  }

  /**
   * {@return the type F the blocks' fields compute in: T unless set} See {@link
   * ReversibleUnitBuilder#fieldType}.
   */
  public Class<? extends TFloating> fieldType() {
    return fieldType;
  }

  /** {@return the step sizes h_0 … h_{n−1}, a copy} */
  public double[] stepSizes() {
    return stepSizes.clone();
  }

  /** {@return all stacked parameters, trainable ones and running statistics, in order} */
  public List<UnitParameter<T>> parameters() {
    return parameters;
  }

  /** {@return every stacked variable of the unit, in parameter order, e.g. for a saver} */
  public List<StackedVariable<T>> variables() {
    return parameters.stream().map(UnitParameter::variable).toList();
  }

  /**
   * The parameter called {@code parameterName}.
   *
   * @param parameterName a block parameter's name, e.g. {@code K1}
   * @return the stacked parameter of that name
   * @throws IllegalArgumentException if the unit has no such parameter
   */
  public UnitParameter<T> parameter(String parameterName) {
    for (UnitParameter<T> p : parameters) {
      if (p.spec().name().equals(parameterName)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unit " + name + " has no parameter '" + parameterName + "'");
  }

  /**
   * Builds the forward sweep with all residual factors 1.
   *
   * @param tf ops of the graph to build in
   * @param input state tensors of shape [N, H, W, channels] each
   * @param phase TRAINING uses batch statistics and prepares {@link #backward}; INFERENCE uses the
   *     running statistics and keeps nothing
   * @return the sweep, whose output is the state after the last block
   */
  public Sweep<T> forward(Ops tf, State<T> input, Phase phase) {
    return forward(tf, input, phase, null);
  }

  /**
   * Builds the forward sweep.
   *
   * @param tf ops of the graph to build in
   * @param input state tensors of shape [N, H, W, channels] each
   * @param phase TRAINING uses batch statistics and prepares {@link #backward}; INFERENCE uses the
   *     running statistics and keeps nothing
   * @param keep per-block residual factors κ [n] (stochastic depth), or null for all ones
   * @return the sweep, whose output is the state after the last block
   */
  public Sweep<T> forward(Ops tf, State<T> input, Phase phase, Operand<T> keep) {
    checkState(input, "input");
    State<T> in = new State<>(tf.identity(input.a()), tf.identity(input.b()));
    Operand<T> kappa = keep != null ? keep : vector(tf, ones(blocks));
    if (phase == Phase.INFERENCE) {
      LoopForward.Result<T> r =
          LoopForward.run(this, tf, in, Phase.INFERENCE, kappa, CheckpointPolicy.NONE);
      return new InferenceSweep<>(this, in, r.state().as(tf, dtype), kappa);
    }
    return strategy.forward(this, tf, in, kappa);
  }

  /**
   * Builds the backward pass of a TRAINING sweep of this unit.
   *
   * @param tf ops of the graph to build in
   * @param sweep a TRAINING sweep of this unit
   * @param dOutput gradient of the loss with respect to the unit's output state
   * @return the gradients of the unit's input and of every trainable stacked parameter
   * @throws IllegalArgumentException for an INFERENCE sweep or another unit's sweep
   */
  public UnitGradients<T> backward(Ops tf, Sweep<T> sweep, State<T> dOutput) {
    checkState(dOutput, "output gradient");
    return strategy.backward(this, tf, trainingSweep(sweep), dOutput, Optional.empty());
  }

  /**
   * Builds the backward pass of a TRAINING sweep with {@code update} applied to each block's slice
   * of every trainable parameter inside the loop, as soon as its gradient exists (see {@link
   * BlockUpdate}). The result's parameter gradients are empty: they were consumed.
   *
   * @param tf ops of the graph to build in
   * @param sweep a TRAINING sweep of this unit
   * @param dOutput gradient of the loss with respect to the unit's output state
   * @param update the step applied to each block's slice of every trainable parameter
   * @return the gradient of the unit's input, and {@link UnitGradients#done()}, the op that runs
   *     the backward pass and every update
   * @throws IllegalArgumentException for a STORED unit, whose gradients come from one unrolled
   *     graph (update the stacked gradients of {@link #backward(Ops, Sweep, State)}), or for an
   *     INFERENCE sweep or another unit's sweep
   */
  public UnitGradients<T> backward(
      Ops tf, Sweep<T> sweep, State<T> dOutput, BlockUpdate<T> update) {
    Objects.requireNonNull(update, "update");
    if (referenceVariables) {
      throw new IllegalArgumentException(
          "unit "
              + name
              + " keeps its weights in reference variables, which a loop cannot update: use"
              + " backward(tf, sweep, dOutput) or TensorFlow's gradients and an optimizer");
    }
    checkState(dOutput, "output gradient");
    return strategy.backward(this, tf, trainingSweep(sweep), dOutput, Optional.of(update));
  }

  /**
   * Moving-average updates s ← m·s + (1 − m)·ŝ of the running statistics from one TRAINING sweep's
   * batch statistics ŝ ({@link BatchNormalization#movingAverage}). Run them once per step: the
   * backward pass never touches the statistics.
   *
   * @param tf ops of the graph to build in
   * @param sweep a TRAINING sweep of this unit
   * @param momentum m in [0, 1]
   * @return one assignment per running statistic, to run with the step
   */
  public List<Op> updateStatistics(Ops tf, Sweep<T> sweep, double momentum) {
    return movingAverages(tf, trainingSweep(sweep).batchStatistics(), momentum);
  }

  private List<Op> movingAverages(Ops tf, Map<String, Operand<T>> batch, double momentum) {
    List<Op> updates = new ArrayList<>();
    for (UnitParameter<T> p : parameters) {
      Operand<T> statistic = batch.get(p.spec().name());
      if (!p.spec().trainable() && statistic != null) {
        updates.add(BatchNormalization.movingAverage(tf, p.variable(), statistic, momentum));
      }
    }
    return updates;
  }

  private Sweep<T> trainingSweep(Sweep<T> sweep) {
    if (sweep.unit() != this) {
      throw new IllegalArgumentException(
          "unit " + name + " was given a sweep of unit " + sweep.unit().name());
    }
    if (sweep instanceof InferenceSweep) {
      throw new IllegalArgumentException(
          "unit "
              + name
              + ": this sweep was built for INFERENCE (running statistics, nothing kept); build"
              + " the forward sweep with Phase.TRAINING to differentiate it");
    }
    return sweep;
  }

  // ------------------------------------------------------------- for the strategies and loops

  /**
   * A TRAINING sweep's output: {@code output} itself, or, with a statistics momentum, {@code
   * output} once the running statistics have moved to the sweep's {@code batch} statistics.
   */
  State<T> trainingOutput(Ops tf, State<T> output, Map<String, Operand<T>> batch) {
    if (statisticsMomentum == null || batch.isEmpty()) {
      return output;
    }
    Ops after = tf.withControlDependencies(movingAverages(tf, batch, statisticsMomentum));
    return new State<>(after.identity(output.a()), after.identity(output.b()));
  }

  /** Whether the weights are {@link ReferenceVariable}s, which loops read whole. */
  boolean referenceVariables() {
    return referenceVariables;
  }

  /** The trainable parameters, in order. */
  List<UnitParameter<T>> trainableParameters() {
    return parameters.stream().filter(p -> p.spec().trainable()).toList();
  }

  /** {@code values} as a vector of the unit's type. */
  Operand<T> vector(Ops tf, double[] values) {
    return tf.dtypes.cast(tf.constant(values), dtype);
  }

  /** Keeps {@code resource} (a loop's functions, a gradient rule) to close it with the unit. */
  <C extends AutoCloseable> C track(C resource) {
    natives.add(resource);
    return resource;
  }

  private static double[] ones(int n) {
    double[] v = new double[n];
    Arrays.fill(v, 1.0);
    return v;
  }

  private void checkState(State<T> s, String what) {
    Shape a = s.a().shape();
    Shape b = s.b().shape();
    if (a.numDimensions() != 4 || b.numDimensions() != 4) {
      throw new IllegalArgumentException(
          "unit " + name + ": " + what + " tensors must be [N, H, W, C], got " + a + " and " + b);
    }
    if (!a.isCompatibleWith(b)) {
      throw new IllegalArgumentException(
          "unit " + name + ": " + what + " tensors have mismatched shapes " + a + " and " + b);
    }
    long c = a.size(3);
    if (c != Shape.UNKNOWN_SIZE && c != channels) {
      throw new IllegalArgumentException(
          String.format(
              "unit %s: %s has %d channels per state tensor, but the unit was built for %d",
              name, what, c, channels));
    }
  }

  @Override
  public void close() {
    for (AutoCloseable c : natives) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("unit " + name + ": cannot release " + c, e);
      }
    }
    natives.clear();
  }
}
