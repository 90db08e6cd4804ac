package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * A unit: n blocks of one {@link ReversibleBlock} kind acting on a two-tensor state, with the
 * per-block parameters stacked along a leading block axis ([n, ...]) and per-block step sizes h_j.
 *
 * <p>The forward sweep and the backward pass run the blocks in functional while loops whose bodies
 * are built once, so the graph's size does not depend on n. The backward pass, from the top, for
 * j = n−1 … 0 and for each coupling (P, Q) ↦ (Q, c·P + g(Q)) of block j in reverse order:
 *
 * <pre>
 *   reconstruct:  P = c·(R − g(Q))                  (the inverse; g evaluated once)
 *   local VJP:    dP = c·dR,   dQ += g'(Q)^T dR,   dθ_j += (∂g/∂θ_j)^T dR
 * </pre>
 *
 * where g'(Q)^T dR comes from {@link Graph#addGradients} on the inverse's own g(Q), so the
 * recomputation costs nothing. The only forward tensor the backward reads is the unit's output.
 * {@link GradientMode#checkpoint} additionally stores the input of every k-th block and resets the
 * reconstruction there; {@link GradientMode#stored} differentiates an unrolled graph instead (the
 * baseline).
 *
 * <p>The stacked parameters are {@link ResourceVariable}s whose handles enter the loops, and block
 * j reads its own slice θ_j. The backward pass either collects every dθ_j (returned stacked,
 * [n, ...]) or, given a {@link BlockUpdate}, updates θ_j in place as soon as dθ_j exists.
 *
 * <p>The state and its adjoint may be carried in a wider type S than the unit's T ({@link
 * Builder#stateType}): the fields g then run in T on Q rounded to T, and only the sums c·P + g and
 * the adjoint's sums are formed in S. With T = float32 and S = float64 those sums are exact (float64
 * has 29 more significand bits, plenty unless the state grows by orders of magnitude over the
 * updates added to it, as in a diverging forward pass), and the reconstruction recovers every
 * block's input bit for bit.
 *
 * <p>Owns native loop functions: close it after the graph that uses it.
 */
public final class ReversibleUnit<T extends TFloating> implements AutoCloseable {
  private final ReversibleBlock block;
  private final int blocks;
  private final int channels;
  private final double[] stepSizes;
  private final GradientMode mode;
  private final Class<T> dtype;
  /** S: the type the state (and its adjoint) is carried and updated in; T or a wider type. */
  private final Class<TFloating> stateType;
  private final String name;
  private final List<UnitParameter<T>> parameters;
  private final List<WhileLoop> loops = new ArrayList<>();
  private int gradientCalls;

  private ReversibleUnit(Builder b, Ops tf, Class<T> dtype) {
    this.block = b.block;
    this.blocks = b.blocks;
    this.channels = b.channels;
    this.stepSizes = b.stepSizes();
    this.mode = b.mode;
    this.dtype = dtype;
    this.stateType = b.resolvedStateType(dtype);
    this.name = b.name;
    List<UnitParameter<T>> ps = new ArrayList<>();
    List<ParameterSpec> specs = block.parameters(channels);
    for (int k = 0; k < specs.size(); k++) {
      ParameterSpec spec = specs.get(k);
      ResourceVariable<T> v =
          ResourceVariable.create(
              tf,
              name + "." + spec.name(),
              spec.initialValue(tf, dtype, blocks, b.seed, 1000L * name.hashCode() + k, b.initScale));
      ps.add(new UnitParameter<>(spec, v));
    }
    this.parameters = List.copyOf(ps);
  }

  /** Starts configuring a unit of {@code block}s. */
  public static Builder builder(ReversibleBlock block) {
    return new Builder(block);
  }

  public ReversibleBlock block() {
    return block;
  }

  /** Number of blocks n. */
  public int blocks() {
    return blocks;
  }

  /** Channels of each of the two state tensors. */
  public int channels() {
    return channels;
  }

  public GradientMode mode() {
    return mode;
  }

  public String name() {
    return name;
  }

  /** The type the state is carried and updated in (see {@link Builder#stateType}). */
  public Class<? extends TFloating> stateType() {
    return stateType;
  }

  /** Step sizes h_0 … h_{n−1} (a copy). */
  public double[] stepSizes() {
    return stepSizes.clone();
  }

  /** All stacked parameters, trainable ones and running statistics. */
  public List<UnitParameter<T>> parameters() {
    return parameters;
  }

  private int parameterIndex(String parameterName) {
    return parameters.indexOf(parameter(parameterName));
  }

  /** The parameter called {@code name}, e.g. {@code K1}. */
  public UnitParameter<T> parameter(String parameterName) {
    for (UnitParameter<T> p : parameters) {
      if (p.spec().name().equals(parameterName)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unit " + name + " has no parameter '" + parameterName + "'");
  }

  /** Forward sweep with all residual factors 1. */
  public UnitForward<T> forward(Ops tf, State<T> input, Phase phase) {
    return forward(tf, input, phase, null);
  }

  /**
   * Builds the forward sweep.
   *
   * @param input state tensors of shape [N, H, W, channels] each
   * @param phase TRAINING records batch statistics and prepares the backward pass
   * @param keep per-block residual factors [n] (stochastic depth), or null for all ones
   */
  public UnitForward<T> forward(Ops tf, State<T> input, Phase phase, Operand<T> keep) {
    checkState(input, "input");
    State<T> in = new State<>(tf.identity(input.a()), tf.identity(input.b()));
    Operand<T> keepFactors = keep != null ? keep : vector(tf, ones(blocks));
    boolean training = phase == Phase.TRAINING;
    if (training && mode instanceof GradientMode.Stored) {
      return unrolledForward(tf, in, keepFactors);
    }
    return loopForward(tf, in, phase, keepFactors);
  }

  /**
   * Builds the backward pass of a TRAINING forward sweep.
   *
   * @param dOutput gradient of the loss with respect to the unit's output state
   */
  public UnitGradients<T> backward(Ops tf, UnitForward<T> forward, State<T> dOutput) {
    checkState(dOutput, "output gradient");
    if (mode instanceof GradientMode.Stored) {
      return unrolledBackward(tf, forward, dOutput);
    }
    return reconstructingBackward(tf, forward, dOutput, null);
  }

  /**
   * Builds the backward pass of a TRAINING forward sweep with {@code update} applied to each
   * block's slice of every trainable parameter inside the loop, as soon as its gradient exists
   * (see {@link BlockUpdate}). The result's parameter gradients are empty: they were consumed.
   *
   * @throws IllegalArgumentException for a STORED unit, whose gradients come from one unrolled
   *     graph: update its stacked gradients from {@link #backward(Ops, UnitForward, State)}
   */
  public UnitGradients<T> backward(
      Ops tf, UnitForward<T> forward, State<T> dOutput, BlockUpdate<T> update) {
    Objects.requireNonNull(update, "update");
    checkState(dOutput, "output gradient");
    if (mode instanceof GradientMode.Stored) {
      throw new IllegalArgumentException(
          "unit "
              + name
              + " is STORED: a per-block update needs a reconstructing backward (REVERSIBLE or"
              + " CHECKPOINT); update the stacked gradients of backward(tf, forward, dOutput)");
    }
    return reconstructingBackward(tf, forward, dOutput, update);
  }

  /**
   * Moving-average update of the running statistics from one TRAINING sweep: s ← m·s + (1 − m)·ŝ.
   * Run it once per step: the backward pass never touches the statistics.
   */
  public List<Op> updateStatistics(Ops tf, UnitForward<T> forward, double momentum) {
    return UnitParameter.movingAverages(tf, parameters, forward.batchStatistics(), momentum);
  }

  // ---------------------------------------------------------------- STORED: unrolled autodiff

  private UnitForward<T> unrolledForward(Ops tf, State<T> in, Operand<T> keep) {
    Map<String, List<Operand<T>>> perBlock = new LinkedHashMap<>();
    for (UnitParameter<T> p : parameters) {
      perBlock.put(p.spec().name(), unstack(tf, p.variable().read(tf)));
    }
    List<Operand<T>> h = unstack(tf, vector(tf, stepSizes));
    List<Operand<T>> kappa = unstack(tf, keep);
    Map<String, List<Operand<T>>> statistics = new LinkedHashMap<>();
    State<TFloating> s = in.as(tf, stateType);
    for (int j = 0; j < blocks; j++) {
      Map<String, Operand<T>> w = new LinkedHashMap<>();
      for (Map.Entry<String, List<Operand<T>>> e : perBlock.entrySet()) {
        w.put(e.getKey(), e.getValue().get(j));
      }
      BlockContext<T> ctx =
          new BlockContext<>(tf, dtype, w, h.get(j), kappa.get(j), Phase.TRAINING, true);
      s = block.forward(ctx, s);
      ctx.recordedStatistics()
          .forEach((k, v) -> statistics.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    Map<String, Operand<T>> stacked = new LinkedHashMap<>();
    statistics.forEach((k, v) -> stacked.put(k, tf.stack(v)));
    State<TFloating> last = new State<>(tf.identity(s.a()), tf.identity(s.b()));
    return new UnitForward<>(in, last.as(tf, dtype), last, stacked, keep, null, perBlock);
  }

  @SuppressWarnings("unchecked")
  private UnitGradients<T> unrolledBackward(Ops tf, UnitForward<T> fwd, State<T> dOut) {
    Map<String, List<Operand<T>>> perBlock = fwd.unrolledParameters;
    if (perBlock == null) {
      throw new IllegalArgumentException(
          "backward needs a TRAINING forward sweep of this unit (" + name + ")");
    }
    List<Output<?>> xs = new ArrayList<>(List.of(fwd.input().a().asOutput(), fwd.input().b().asOutput()));
    List<String> trainable = trainableNames();
    for (String n : trainable) {
      for (Operand<T> w : perBlock.get(n)) {
        xs.add(w.asOutput());
      }
    }
    Graph g = (Graph) tf.scope().env();
    Output<?>[] grads =
        g.addGradients(
            name + "_stored_grad" + (gradientCalls++),
            new Output<?>[] {fwd.output().a().asOutput(), fwd.output().b().asOutput()},
            xs.toArray(new Output<?>[0]),
            new Output<?>[] {dOut.a().asOutput(), dOut.b().asOutput()});
    Map<String, Operand<T>> dParams = new LinkedHashMap<>();
    int k = 2;
    for (String n : trainable) {
      List<Operand<T>> perBlockGrads = new ArrayList<>();
      for (int j = 0; j < blocks; j++) {
        perBlockGrads.add((Operand<T>) grads[k++]);
      }
      dParams.put(n, tf.stack(perBlockGrads));
    }
    State<T> dIn = new State<>((Operand<T>) grads[0], (Operand<T>) grads[1]);
    return new UnitGradients<>(dIn, dParams, tf.constant(dtype, 0.0));
  }

  // ---------------------------------------------------------------- loops: forward sweep

  private UnitForward<T> loopForward(Ops tf, State<T> in, Phase phase, Operand<T> keep) {
    boolean training = phase == Phase.TRAINING;
    List<String> statistics = training ? statisticNames() : List.of();
    int every = checkpointInterval();
    int slots = every > 0 ? checkpointSlots(every) : 0;

    State<TFloating> first = in.as(tf, stateType);
    List<Operand<?>> initial = new ArrayList<>(List.of(first.a(), first.b()));
    for (String s : statistics) {
      initial.add(tf.tensorListReserve(shapeOf(tf, s), tf.constant(blocks), dtype));
    }
    if (every > 0) {
      Operand<TInt32> stateShape = tf.constant(new int[] {-1, -1, -1, channels});
      initial.add(tf.tensorListReserve(stateShape, tf.constant(slots), stateType));
      initial.add(tf.tensorListReserve(stateShape, tf.constant(slots), stateType));
    }
    int invariantsAt = initial.size();
    addInvariants(tf, initial, keep);

    WhileLoop loop =
        new WhileLoop(
            tf,
            blocks,
            initial,
            (ftf, graph, j, vars) -> {
              State<TFloating> s = new State<>(cast(vars.get(0)), cast(vars.get(1)));
              BlockContext<T> ctx = blockContext(ftf, j, vars, invariantsAt, phase, training);
              List<Operand<?>> next = new ArrayList<>();
              State<TFloating> out = block.forward(ctx, s);
              next.add(out.a());
              next.add(out.b());
              int v = 2;
              for (String stat : statistics) {
                next.add(ftf.tensorListSetItem(vars.get(v++), j, ctx.recordedStatistics().get(stat)));
              }
              if (every > 0) {
                Operand<TInt32> slot = checkpointSlot(ftf, j, every, slots);
                next.add(ftf.tensorListSetItem(vars.get(v++), slot, s.a()));
                next.add(ftf.tensorListSetItem(vars.get(v++), slot, s.b()));
              }
              next.addAll(vars.subList(invariantsAt, vars.size()));
              return next;
            });
    loops.add(loop);
    List<Output<?>> outs = loop.outputs();
    State<TFloating> last =
        new State<>(tf.identity(cast(outs.get(0))), tf.identity(cast(outs.get(1))));
    Map<String, Operand<T>> stacked = new LinkedHashMap<>();
    int v = 2;
    for (String s : statistics) {
      stacked.put(s, tf.tensorListStack(outs.get(v++), shapeOf(tf, s), dtype));
    }
    State<?> checkpoints =
        every > 0 ? new State<TFloating>(cast(outs.get(v)), cast(outs.get(v + 1))) : null;
    return new UnitForward<>(in, last.as(tf, dtype), last, stacked, keep, checkpoints, null);
  }

  // ---------------------------------------------------------------- loops: reconstructing backward

  private UnitGradients<T> reconstructingBackward(
      Ops tf, UnitForward<T> fwd, State<T> dOut, BlockUpdate<T> update) {
    int every = checkpointInterval();
    if (fwd.unrolledParameters != null || (every > 0 && fwd.checkpoints == null)) {
      throw new IllegalArgumentException(
          "backward needs a TRAINING forward sweep of this unit (" + name + ")");
    }
    List<String> trainable = trainableNames();
    boolean fused = update != null;

    // Per trainable parameter, one carried variable: the TensorList that collects dθ_j, or, with a
    // fused update, θ_{j+1} as it was before the update (the slice's "next" neighbour).
    State<TFloating> top = fwd.state();
    State<TFloating> dTop = dOut.as(tf, stateType);
    List<Operand<?>> initial = new ArrayList<>(List.of(top.a(), top.b(), dTop.a(), dTop.b()));
    Operand<TInt32> last = tf.constant(blocks - 1);
    for (String p : trainable) {
      initial.add(
          fused
              ? ResourceVariable.slice(tf, parameter(p).variable().handle(), last, dtype)
              : tf.tensorListReserve(shapeOf(tf, p), tf.constant(blocks), dtype));
    }
    if (every > 0) {
      initial.add(fwd.checkpoints.a());
      initial.add(fwd.checkpoints.b());
      initial.add(tf.constant(dtype, 0.0));
    }
    int invariantsAt = initial.size();
    addInvariants(tf, initial, fwd.keep());
    int updateInputsAt = initial.size();
    List<Integer> updateInputCounts = new ArrayList<>();
    if (fused) {
      for (String p : trainable) {
        List<Operand<?>> in = update.inputs(parameter(p));
        updateInputCounts.add(in.size());
        initial.addAll(in);
      }
    }

    WhileLoop loop =
        new WhileLoop(
            tf,
            blocks,
            initial,
            (ftf, graph, i, vars) -> {
              Operand<TInt32> j = ftf.math.sub(ftf.constant(blocks - 1), i);
              BlockContext<T> ctx = blockContext(ftf, j, vars, invariantsAt, Phase.TRAINING, false);
              State<TFloating> s = new State<>(cast(vars.get(0)), cast(vars.get(1)));
              State<TFloating> up = new State<>(cast(vars.get(2)), cast(vars.get(3)));
              Map<String, Operand<T>> dTheta = new LinkedHashMap<>();
              List<Coupling> couplings = block.couplings();
              for (int c = couplings.size() - 1; c >= 0; c--) {
                Coupling coupling = couplings.get(c);
                Operand<T> q = ftf.stopGradient(ctx.compute(s.a()));
                Operand<T> g = coupling.update(ctx, q);
                Operand<TFloating> p = coupling.uncombine(ftf, s.b(), ctx.widen(g, stateType));
                List<String> own = trainable(coupling.parameters(channels));
                Output<?>[] x = new Output<?>[own.size() + 1];
                x[0] = q.asOutput();
                for (int k = 0; k < own.size(); k++) {
                  x[k + 1] = ctx.parameter(own.get(k)).asOutput();
                }
                Output<?>[] vjp =
                    graph.addGradients(
                        "vjp" + c,
                        new Output<?>[] {g.asOutput()},
                        x,
                        new Output<?>[] {ctx.compute(up.b()).asOutput()});
                for (int k = 0; k < own.size(); k++) {
                  dTheta.put(own.get(k), cast(vjp[k + 1]));
                }
                Operand<TFloating> dP = coupling.carry() > 0 ? up.b() : ftf.math.neg(up.b());
                Operand<TFloating> dQ =
                    ftf.math.add(up.a(), ctx.widen(cast(vjp[0]), stateType));
                s = new State<>(p, s.a());
                up = new State<>(dP, dQ);
              }
              List<Op> done = new ArrayList<>();
              List<Operand<?>> carried = new ArrayList<>();
              int v = 4;
              int in = updateInputsAt;
              Operand<TInt32> below =
                  fused ? ftf.math.maximum(ftf.math.sub(j, ftf.constant(1)), ftf.constant(0)) : null;
              for (int t = 0; t < trainable.size(); t++) {
                String p = trainable.get(t);
                if (fused) {
                  Operand<?> handle = vars.get(invariantsAt + parameterIndex(p));
                  Operand<T> value = ctx.parameter(p);
                  BlockUpdate.Slice<T> slice =
                      new BlockUpdate.Slice<>(
                          parameter(p),
                          handle,
                          j,
                          value,
                          dTheta.get(p),
                          ResourceVariable.slice(ftf, handle, below, dtype),
                          cast(vars.get(v++)));
                  int count = updateInputCounts.get(t);
                  done.addAll(update.apply(ftf, slice, vars.subList(in, in + count)));
                  in += count;
                  carried.add(value);
                } else {
                  var set = ftf.tensorListSetItem(vars.get(v++), j, dTheta.get(p));
                  done.add(set);
                  carried.add(set);
                }
              }
              // The next block's inverse must wait for this block's gradients (and updates), or
              // the executor runs the inverse chain ahead and keeps every reconstructed state alive.
              Ops after = ftf.withControlDependencies(done);
              Operand<TFloating> nextA = after.identity(s.a());
              Operand<TFloating> nextB = after.identity(s.b());
              List<Operand<?>> next = new ArrayList<>();
              if (every > 0) {
                Operand<TBool> stored =
                    ftf.math.equal(ftf.math.floorMod(j, ftf.constant(every)), ftf.constant(0));
                Operand<TInt32> slot = ftf.math.floorDiv(j, ftf.constant(every));
                Operand<TInt32> anyShape = ftf.constant(new int[] {-1, -1, -1, channels});
                State<TFloating> truth =
                    new State<>(
                        ftf.tensorListGetItem(vars.get(v), slot, anyShape, stateType),
                        ftf.tensorListGetItem(vars.get(v + 1), slot, anyShape, stateType));
                Operand<T> drift = cast(vars.get(v + 2));
                Operand<T> error =
                    ctx.compute(relativeError(ftf, new State<>(nextA, nextB), truth));
                next.add(ftf.select(stored, truth.a(), nextA));
                next.add(ftf.select(stored, truth.b(), nextB));
                next.add(up.a());
                next.add(up.b());
                next.addAll(carried);
                next.add(vars.get(v));
                next.add(vars.get(v + 1));
                next.add(ftf.select(stored, ftf.math.maximum(drift, error), drift));
              } else {
                next.add(nextA);
                next.add(nextB);
                next.add(up.a());
                next.add(up.b());
                next.addAll(carried);
              }
              next.addAll(vars.subList(invariantsAt, vars.size()));
              return next;
            });
    loops.add(loop);
    List<Output<?>> outs = loop.outputs();
    State<TFloating> reconstructed = new State<>(cast(outs.get(0)), cast(outs.get(1)));
    State<T> dIn = new State<TFloating>(cast(outs.get(2)), cast(outs.get(3))).as(tf, dtype);
    Map<String, Operand<T>> dParams = new LinkedHashMap<>();
    int v = 4;
    for (String p : trainable) {
      Output<?> out = outs.get(v++);
      if (!fused) {
        dParams.put(p, tf.tensorListStack(out, shapeOf(tf, p), dtype));
      }
    }
    Operand<T> error =
        every > 0
            ? cast(outs.get(v + 2))
            : State.converted(
                tf, relativeError(tf, reconstructed, fwd.input().as(tf, stateType)), dtype);
    return new UnitGradients<>(dIn, dParams, error);
  }

  // ---------------------------------------------------------------- shared pieces

  /**
   * Appends the loop invariants: every stacked parameter's variable handle (each block reads its
   * own slice: no [n, ...] copy, and separate reads per sweep, DESIGN pitfall 3), then h [n], then
   * κ [n].
   */
  private void addInvariants(Ops tf, List<Operand<?>> vars, Operand<T> keep) {
    for (UnitParameter<T> p : parameters) {
      vars.add(p.variable().handle());
    }
    vars.add(vector(tf, stepSizes));
    vars.add(keep);
  }

  /** Block j's view of the loop invariants starting at {@code at}. */
  private BlockContext<T> blockContext(
      Ops ftf, Operand<TInt32> j, List<Operand<?>> vars, int at, Phase phase, boolean record) {
    Operand<TInt32> axis = ftf.constant(0);
    Map<String, Operand<T>> w = new LinkedHashMap<>();
    for (int k = 0; k < parameters.size(); k++) {
      w.put(parameters.get(k).spec().name(), ResourceVariable.slice(ftf, vars.get(at + k), j, dtype));
    }
    Operand<T> h = ftf.gather(this.<T>cast(vars.get(at + parameters.size())), j, axis);
    Operand<T> kappa = ftf.gather(this.<T>cast(vars.get(at + parameters.size() + 1)), j, axis);
    return new BlockContext<>(ftf, dtype, w, h, kappa, phase, record);
  }

  private static <S extends TFloating> Operand<S> relativeError(
      Ops tf, State<S> estimate, State<S> truth) {
    Operand<S> diff =
        tf.math.add(
            sumOfSquares(tf, tf.math.sub(estimate.a(), truth.a())),
            sumOfSquares(tf, tf.math.sub(estimate.b(), truth.b())));
    Operand<S> norm = tf.math.add(sumOfSquares(tf, truth.a()), sumOfSquares(tf, truth.b()));
    return tf.math.sqrt(tf.math.divNoNan(diff, norm));
  }

  private static <S extends TFloating> Operand<S> sumOfSquares(Ops tf, Operand<S> x) {
    return tf.reduceSum(tf.math.square(x), tf.constant(new int[] {0, 1, 2, 3}));
  }

  private static Operand<TInt32> checkpointSlot(Ops tf, Operand<TInt32> j, int every, int slots) {
    // Block inputs with j % k == 0 go to slot j / k; the others to a scratch slot at the end,
    // which is overwritten each time (one tensor, whatever the depth).
    Operand<TBool> stored = tf.math.equal(tf.math.floorMod(j, tf.constant(every)), tf.constant(0));
    return tf.select(stored, tf.math.floorDiv(j, tf.constant(every)), tf.constant(slots - 1));
  }

  private int checkpointSlots(int every) {
    return (blocks + every - 1) / every + 1;
  }

  /** k for CHECKPOINT(k), 0 for REVERSIBLE. */
  private int checkpointInterval() {
    return mode instanceof GradientMode.Checkpoint c ? c.every() : 0;
  }

  private List<String> trainableNames() {
    return trainable(block.parameters(channels));
  }

  private static List<String> trainable(List<ParameterSpec> specs) {
    return specs.stream().filter(ParameterSpec::trainable).map(ParameterSpec::name).toList();
  }

  private List<String> statisticNames() {
    return block.parameters(channels).stream()
        .filter(p -> !p.trainable())
        .map(ParameterSpec::name)
        .toList();
  }

  private Operand<TInt32> shapeOf(Ops tf, String parameterName) {
    Shape s = parameter(parameterName).spec().shape();
    int[] dims = new int[s.numDimensions()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = (int) s.size(i);
    }
    return tf.constant(dims);
  }

  private List<Operand<T>> unstack(Ops tf, Operand<T> stacked) {
    List<Operand<T>> parts = new ArrayList<>();
    tf.unstack(stacked, (long) blocks).output().forEach(parts::add);
    return parts;
  }

  private Operand<T> vector(Ops tf, double[] values) {
    return tf.dtypes.cast(tf.constant(values), dtype);
  }

  private static double[] ones(int n) {
    double[] v = new double[n];
    Arrays.fill(v, 1.0);
    return v;
  }

  @SuppressWarnings("unchecked")
  private <U extends TFloating> Operand<U> cast(Operand<?> o) {
    return (Operand<U>) o;
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
          "unit "
              + name
              + ": "
              + what
              + " has "
              + c
              + " channels per state tensor, but the unit was built for "
              + channels);
    }
  }

  @Override
  public void close() {
    loops.forEach(WhileLoop::close);
    loops.clear();
  }

  /** Configuration of a {@link ReversibleUnit}. */
  public static final class Builder {
    private final ReversibleBlock block;
    private int blocks = 1;
    private int channels = -1;
    private double stepSize = 1.0;
    private double[] stepSizes;
    private GradientMode mode = GradientMode.reversible();
    private String name = "unit";
    private long seed = 1;
    private double initScale = 1.0;
    private Class<? extends TFloating> stateType;

    private Builder(ReversibleBlock block) {
      this.block = Objects.requireNonNull(block, "block kind");
    }

    /** Number of blocks n ≥ 1. */
    public Builder blocks(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("a unit needs at least 1 block, got " + n);
      }
      this.blocks = n;
      return this;
    }

    /** Channels of each of the two state tensors. */
    public Builder channels(int c) {
      if (c < 1) {
        throw new IllegalArgumentException("channels must be positive, got " + c);
      }
      this.channels = c;
      return this;
    }

    /** One step size h > 0 for every block. */
    public Builder stepSize(double h) {
      checkStep(h, -1);
      this.stepSize = h;
      this.stepSizes = null;
      return this;
    }

    /** Non-uniform step sizes h_0 … h_{n−1}, each > 0; their count must equal the block count. */
    public Builder stepSizes(double... h) {
      for (int j = 0; j < h.length; j++) {
        checkStep(h[j], j);
      }
      this.stepSizes = h.clone();
      return this;
    }

    public Builder mode(GradientMode m) {
      this.mode = Objects.requireNonNull(m, "mode");
      return this;
    }

    /** Prefix of the unit's variable names; letters, digits, '_' and '.' only. */
    public Builder name(String n) {
      if (!n.matches("[A-Za-z][A-Za-z0-9_.]*")) {
        throw new IllegalArgumentException(
            "unit name '" + n + "' must start with a letter and use letters, digits, '_' or '.'");
      }
      this.name = n;
      return this;
    }

    /** Seed of the initial weights. */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Multiplier of the He-normal standard deviation of the kernels (default 1). */
    public Builder initScale(double s) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("init scale must be > 0, got " + s);
      }
      this.initScale = s;
      return this;
    }

    /**
     * Carry and update the state (Y, Z) and its adjoint in {@code type} instead of the unit's own
     * type T; the blocks' fields still run in T, on the state rounded to T. With T = float32 and
     * S = float64, c·P + g(Q) loses nothing a float64 can hold, so the reconstructing backward
     * recovers each block's input to float64 rounding, and the rounding of Q to float32 that the
     * fields see is the same in the inverse as in the forward: REVERSIBLE gradients then match
     * STORED ones of the same unit instead of drifting with float32's rounding of the sums. Costs
     * two more state-sized tensors' worth of width (the state and its adjoint) and a cast per
     * coupling. Every mode computes the same function with the same state type. Default: T.
     *
     * @param type T itself or {@code TFloat64}
     */
    public Builder stateType(Class<? extends TFloating> type) {
      this.stateType = Objects.requireNonNull(type, "state type");
      return this;
    }

    @SuppressWarnings("unchecked")
    private Class<TFloating> resolvedStateType(Class<? extends TFloating> dtype) {
      Class<? extends TFloating> s = stateType == null ? dtype : stateType;
      if (s != dtype && s != TFloat64.class) {
        throw new IllegalArgumentException(
            "state type must be the unit's own type ("
                + dtype.getSimpleName()
                + ") or TFloat64, got "
                + s.getSimpleName());
      }
      return (Class<TFloating>) s;
    }

    private static void checkStep(double h, int j) {
      if (!(h > 0) || Double.isInfinite(h)) {
        throw new IllegalArgumentException(
            "step size " + (j >= 0 ? "h_" + j + " " : "h ") + "must be a finite number > 0, got " + h);
      }
    }

    private double[] stepSizes() {
      if (stepSizes == null) {
        double[] h = new double[blocks];
        Arrays.fill(h, stepSize);
        return h;
      }
      if (stepSizes.length != blocks) {
        throw new IllegalArgumentException(
            stepSizes.length + " step sizes given for a unit of " + blocks + " blocks");
      }
      return stepSizes.clone();
    }

    /** Creates the unit's variables in {@code tf}'s graph. */
    public <T extends TFloating> ReversibleUnit<T> build(Ops tf, Class<T> dtype) {
      if (channels < 1) {
        throw new IllegalArgumentException("set the unit's channels before build()");
      }
      return new ReversibleUnit<>(this, tf, dtype);
    }
  }
}
