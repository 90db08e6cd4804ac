package org.revtrain.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.reversible.BatchNormalization;
import org.revtrain.reversible.BlockUpdate;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.Phase;
import org.revtrain.reversible.ResourceVariable;
import org.revtrain.reversible.ReversibleUnit;
import org.revtrain.reversible.State;
import org.revtrain.reversible.Sweep;
import org.revtrain.reversible.UnitGradients;
import org.revtrain.reversible.UnitParameter;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * A whole network of a {@link ModelSpec} in one graph: its variables, its training step and its
 * inference graph.
 *
 * <pre>
 *   X_0 = σ(BN(K_stem * x))                                      stem
 *   S^u_0 = enter(X_0) (u = 0),  pad(pool(S^{u−1}_n))  (u > 0)     transitions
 *   S^u_n = block_{n−1} ∘ … ∘ block_0 (S^u_0)                      unit u
 *   logits = W · mean_{h,w} σ(BN(exit(S^last_n))) + b              head
 *   loss = −(1/N) Σ_i log softmax(logits_i)[label_i]
 * </pre>
 *
 * <p>The training step's backward pass runs stage by stage from the top, each stage taking the
 * gradient of its own output only: the classifier head and the transitions by {@link
 * Graph#addGradients} over their few ops (their inputs are stored: O(units) memory), each unit by
 * its own {@link ReversibleUnit#backward}. So for reversible kinds in REVERSIBLE mode activation
 * memory does not grow with the number of blocks; explicit kinds (ResNet, LM-ResNet, Euler, RK4)
 * run in STORED mode only, and {@link #create} says so for any other mode.
 *
 * <p>Owns the units' loop functions: close it when its graph is no longer run (before or after
 * closing the graph).
 */
public final class Network<T extends TFloating> implements AutoCloseable {
  private static final double BN_MOMENTUM = 0.9;

  private final ModelSpec spec;
  private final ModePlan plan;
  private final Class<T> dtype;
  private final int classes;
  private final StateLayout layout;
  private final StochasticDepth stochasticDepth;
  private final List<ReversibleUnit<T>> units = new ArrayList<>();
  private final Map<String, NetworkParameter<T>> plain = new LinkedHashMap<>();
  private final long seed;
  private int gradientCalls;

  private Network(
      Ops tf,
      ModelSpec spec,
      int inputChannels,
      int classes,
      ModePlan plan,
      Class<T> dtype,
      long seed) {
    this.spec = spec;
    this.plan = plan;
    this.dtype = dtype;
    this.classes = classes;
    this.seed = seed;
    this.layout = spec.kind().layout();
    this.stochasticDepth = new StochasticDepth(spec.totalBlocks(), spec.finalSurvival());
    Architecture.stem(inputChannels, spec.filters(0)).forEach(p -> addPlain(tf, p));
    for (int u = 0; u < spec.units(); u++) {
      UnitConfig config =
          new UnitConfig(
              "unit" + u,
              spec.batchNorm(),
              spec.blocks(u),
              Architecture.stateChannels(spec, u),
              spec.stepSizes(u),
              plan.mode(u),
              seed,
              spec.float64State(),
              spec.fieldType().orElse(null));
      units.add(spec.kind().unit(tf, dtype, config));
    }
    Architecture.head(spec.filters(spec.units()), classes).forEach(p -> addPlain(tf, p));
  }

  /**
   * Creates the network's variables in {@code tf}'s graph.
   *
   * @param <T> the network's element type
   * @param tf ops of the graph to build in
   * @param spec the architecture
   * @param inputChannels channels of the images (1 for grayscale, 3 for colour)
   * @param classes number of classes
   * @param mode how the units compute gradients
   * @param dtype the element type's class
   * @param seed seed of the initial weights
   * @return the network; close it when its graph is no longer run
   * @throws IllegalArgumentException if the spec's block kind cannot train in {@code mode} (e.g.
   *     REVERSIBLE on {@code resnet-32}: the message names the kind and the modes it supports), or
   *     for fewer than 1 input channel or 2 classes
   */
  public static <T extends TFloating> Network<T> create(
      Ops tf,
      ModelSpec spec,
      int inputChannels,
      int classes,
      /** */
      GradientMode mode,
      Class<T> dtype,
      long seed) {
    return create(
        tf, spec, inputChannels, classes, ModePlan.uniform(mode, spec.units()), dtype, seed);
  }

  /**
   * Creates the network's variables in {@code tf}'s graph, each unit computing its gradient in its
   * own mode.
   *
   * @param <T> the network's element type
   * @param tf ops of the graph to build in
   * @param spec the architecture
   * @param inputChannels channels of the images (1 for grayscale, 3 for colour)
   * @param classes number of classes
   * @param plan the mode of each unit, bottom to top
   * @param dtype the element type's class
   * @param seed seed of the initial weights
   * @return the network; close it when its graph is no longer run
   * @throws IllegalArgumentException as {@link #create(Ops, ModelSpec, int, int, GradientMode,
   *     Class, long)}, or if the plan has not one mode per unit
   */
  public static <T extends TFloating> Network<T> create(
      Ops tf,
      ModelSpec spec,
      int inputChannels,
      int classes,
      ModePlan plan,
      Class<T> dtype,
      long seed) {
    if (inputChannels < 1 || classes < 2) {
      throw new IllegalArgumentException(
          "need at least 1 input channel and 2 classes, got " + inputChannels + " and " + classes);
    }
    checkPlan(spec, plan);
    return new Network<>(tf, spec, inputChannels, classes, plan, dtype, seed);
  }

  /**
   * Checks that {@code plan} has one mode per unit of {@code spec} and that its kind trains in
   * each.
   *
   * @param spec the architecture
   * @param plan the modes
   * @throws IllegalArgumentException saying which does not hold
   */
  public static void checkPlan(ModelSpec spec, ModePlan plan) {
    if (plan.units() != spec.units()) {
      throw new IllegalArgumentException(
          "mode plan " + plan + " has " + plan.units() + " modes for " + spec.units() + " units");
    }
    plan.modes().stream().distinct().forEach(spec.kind()::checkMode);
  }

  /** {@return the architecture} */
  public ModelSpec spec() {
    return spec;
  }

  /** {@return the bottom unit's mode: every unit's when the {@link #plan} is uniform} */
  public GradientMode mode() {
    return plan.mode(0);
  }

  /** {@return the mode of each unit} */
  public ModePlan plan() {
    return plan;
  }

  /** {@return every unit of the network, bottom to top} */
  public List<ReversibleUnit<T>> units() {
    return List.copyOf(units);
  }

  /** {@return every variable of the network, trainable or not, by name (e.g. {@code unit0.K1})} */
  public Map<String, NetworkParameter<T>> parameters() {
    Map<String, NetworkParameter<T>> all = new LinkedHashMap<>();
    plain.forEach(
        (k, v) -> {
          if (k.startsWith("stem.")) {
            all.put(k, v);
          }
        });
    for (ReversibleUnit<T> u : units) {
      for (UnitParameter<T> p : u.parameters()) {
        all.put(p.name(), NetworkParameter.of(p));
      }
    }
    plain.forEach(
        (k, v) -> {
          if (k.startsWith("head.")) {
            all.put(k, v);
          }
        });
    return all;
  }

  /** {@return number of trainable scalars} */
  public long trainableParameterCount() {
    return parameters().values().stream()
        .filter(NetworkParameter::trainable)
        .mapToLong(p -> p.variable().shape().size())
        .sum();
  }

  /**
   * Builds one training step: forward, softmax cross-entropy loss, and the gradients of every
   * trainable variable.
   *
   * @param tf ops of the graph to build in
   * @param images [N, H, W, C]
   * @param labels [N] class indices
   * @param dropSeed [2] seed of the stochastic-depth draws of this step (ignored without stochastic
   *     depth); the reconstruction replays the same draws
   * @return the step's loss, logits, gradients and updates
   */
  public TrainingStep<T> trainingStep(
      Ops tf, Operand<T> images, Operand<TInt32> labels, Operand<TInt64> dropSeed) {
    return trainingStep(tf, images, labels, dropSeed, null);
  }

  /**
   * Builds one training step whose backward pass applies {@code update} block by block to the
   * trainable parameters of every unit that reconstructs (REVERSIBLE, CHECKPOINT); the step's
   * gradients are those of the other parameters, to be updated after the step as usual.
   *
   * @param tf ops of the graph to build in
   * @param images [N, H, W, C]
   * @param labels [N] class indices
   * @param dropSeed [2] seed of the stochastic-depth draws of this step
   * @param update the per-block update, or null to return every gradient
   * @return the step's loss, logits, the gradients not consumed, and the updates
   */
  public TrainingStep<T> trainingStep(
      Ops tf,
      Operand<T> images,
      Operand<TInt32> labels,
      Operand<TInt64> dropSeed,
      BlockUpdate<T> update) {
    Forward f = forward(tf, images, Phase.TRAINING, dropSeed);
    Operand<T> onehot =
        tf.oneHot(labels, tf.constant(classes), tf.constant(dtype, 1.0), tf.constant(dtype, 0.0));
    // −Σ y log softmax(z), averaged over the batch. (The C++ gradient of the fused
    // SoftmaxCrossEntropyWithLogits op builds a float32 constant into float64 graphs.)
    Operand<T> logProbabilities = tf.nn.logSoftmax(f.logits);
    Operand<T> perExample =
        tf.math.neg(tf.reduceSum(tf.math.mul(onehot, logProbabilities), tf.constant(1)));
    Operand<T> loss = tf.math.mean(perExample, tf.constant(0));

    Map<String, Operand<T>> grads = new LinkedHashMap<>();
    // head: loss → last unit's output state
    State<T> top = f.sweeps.get(units.size() - 1).output();
    // With time levels the head reads Y_n only: the loss does not depend on Y_{n−1}.
    boolean both = layout == StateLayout.CHANNEL_HALVES;
    List<Operand<?>> headX = new ArrayList<>(both ? List.of(top.a(), top.b()) : List.of(top.b()));
    headX.addAll(f.reads.headReads());
    Output<?>[] head = gradients(tf, List.of(loss), headX, null);
    State<T> dState =
        both
            ? new State<>(cast(head[0]), cast(head[1]))
            : new State<>(tf.zerosLike(top.a()), cast(head[0]));
    putAll(grads, f.reads.headNames(), head, both ? 2 : 1);

    Operand<T> error = tf.constant(dtype, 0.0);
    List<Operand<T>> unitErrors = new ArrayList<>();
    Set<String> updated = new LinkedHashSet<>();
    for (int u = units.size() - 1; u >= 0; u--) {
      Sweep<T> sweep = f.sweeps.get(u);
      ReversibleUnit<T> unit = units.get(u);
      boolean fuse = update != null && !(unit.mode() instanceof GradientMode.Stored);
      UnitGradients<T> ug =
          fuse ? unit.backward(tf, sweep, dState, update) : unit.backward(tf, sweep, dState);
      String unitName = unit.name();
      if (fuse) {
        unit.parameters().stream()
            .filter(p -> p.spec().trainable())
            .forEach(p -> updated.add(p.name()));
      }
      ug.parameters().forEach((k, v) -> grads.put(unitName + "." + k, v));
      error = tf.math.maximum(error, ug.reconstructionError());
      unitErrors.add(0, ug.reconstructionError());
      State<T> entry = f.unitEntries.get(u);
      if (u > 0) {
        // transition: previous unit's output → this unit's entry
        State<T> below = f.sweeps.get(u - 1).output();
        Output<?>[] t =
            gradients(tf, List.of(entry.a(), entry.b()), List.of(below.a(), below.b()), ug.input());
        dState = new State<>(cast(t[0]), cast(t[1]));
      } else {
        Output<?>[] s =
            gradients(tf, List.of(entry.a(), entry.b()), f.reads.stemReads(), ug.input());
        putAll(grads, f.reads.stemNames(), s, 0);
      }
    }
    List<Op> updates = new ArrayList<>(f.statisticUpdates);
    for (int u = 0; u < units.size(); u++) {
      updates.addAll(units.get(u).updateStatistics(tf, f.sweeps.get(u), BN_MOMENTUM));
    }
    Map<String, Operand<T>> ordered = new LinkedHashMap<>();
    for (String name : parameters().keySet()) {
      if (grads.containsKey(name)) {
        ordered.put(name, grads.get(name));
      }
    }
    return new TrainingStep<>(
        loss, f.logits, ordered, updates, error, unitErrors, Set.copyOf(updated));
  }

  /**
   * Builds the inference graph: logits [N, classes] of {@code images}, with running statistics and
   * stochastic depth's survival rescaling.
   *
   * @param tf ops of the graph to build in
   * @param images [N, H, W, C]
   * @return the logits [N, classes]
   */
  public Operand<T> logits(Ops tf, Operand<T> images) {
    return forward(tf, images, Phase.INFERENCE, null).logits;
  }

  // ---------------------------------------------------------------------------------- forward

  /**
   * Separate reads of the plain variables for one graph: the forward pass and the backward's
   * recomputation must not share a read, or the backward would pull forward tensors into itself.
   */
  private record Reads<T extends TFloating>(
      List<String> stemNames,
      List<Operand<?>> stemReads,
      List<String> headNames,
      List<Operand<?>> headReads,
      Map<String, Operand<T>> byName) {}

  private final class Forward {
    final Reads<T> reads;
    final List<Sweep<T>> sweeps = new ArrayList<>();
    final List<State<T>> unitEntries = new ArrayList<>();
    final List<Op> statisticUpdates = new ArrayList<>();
    Operand<T> logits;

    Forward(Reads<T> reads) {
      this.reads = reads;
    }
  }

  private Forward forward(Ops tf, Operand<T> images, Phase phase, Operand<TInt64> dropSeed) {
    Shape s = images.shape();
    long inChannels = plain.get("stem.K").variable().shape().size(2);
    if (s.numDimensions() != 4 || s.size(3) != inChannels) {
      throw new IllegalArgumentException(
          "images must be [N, H, W, " + inChannels + "] for this network, got " + s);
    }
    Forward f = new Forward(reads(tf));
    Map<String, Operand<T>> w = f.reads.byName();
    // stem
    Operand<T> x = tf.nn.conv2d(images, w.get("stem.K"), List.of(1L, 1L, 1L, 1L), "SAME");
    x = tf.nn.relu(batchNorm(tf, x, "stem.bn", phase, w, f.statisticUpdates));
    State<T> state =
        pad(tf, layout.enter(tf, x, spec.kind().id()), Architecture.stateChannels(spec, 0));
    int first = 0;
    for (int u = 0; u < units.size(); u++) {
      ReversibleUnit<T> unit = units.get(u);
      if (u > 0) {
        state =
            pad(
                tf,
                new State<>(pool(tf, state.a()), pool(tf, state.b())),
                Architecture.stateChannels(spec, u));
      }
      f.unitEntries.add(state);
      Operand<T> keep =
          stochasticDepth.factors(tf, dtype, first, unit.blocks(), phase, dropSeed, u);
      Sweep<T> sweep = unit.forward(tf, state, phase, keep);
      f.sweeps.add(sweep);
      state = sweep.output();
      first += unit.blocks();
    }
    // head
    Operand<T> h = layout.exit(tf, state);
    h = tf.nn.relu(batchNorm(tf, h, "head.bn", phase, w, f.statisticUpdates));
    Operand<T> pooled = tf.math.mean(h, tf.constant(new int[] {1, 2}));
    f.logits = tf.nn.biasAdd(tf.linalg.matMul(pooled, w.get("head.W")), w.get("head.b"));
    return f;
  }

  private Reads<T> reads(Ops tf) {
    Map<String, Operand<T>> byName = new LinkedHashMap<>();
    List<String> stemNames = new ArrayList<>();
    List<Operand<?>> stemReads = new ArrayList<>();
    List<String> headNames = new ArrayList<>();
    List<Operand<?>> headReads = new ArrayList<>();
    plain.forEach(
        (name, p) -> {
          Operand<T> read = p.variable().read(tf);
          byName.put(name, read);
          if (p.trainable()) {
            (name.startsWith("stem.") ? stemNames : headNames).add(name);
            (name.startsWith("stem.") ? stemReads : headReads).add(read);
          }
        });
    return new Reads<>(stemNames, stemReads, headNames, headReads, byName);
  }

  private Operand<T> batchNorm(
      Ops tf, Operand<T> x, String name, Phase phase, Map<String, Operand<T>> w, List<Op> updates) {
    BatchNormalization<T> bn =
        BatchNormalization.apply(
            tf,
            dtype,
            x,
            w.get(name + ".gamma"),
            w.get(name + ".beta"),
            w.get(name + ".mean"),
            w.get(name + ".variance"),
            phase);
    if (phase == Phase.TRAINING) {
      updates.add(
          BatchNormalization.movingAverage(
              tf, plain.get(name + ".mean").variable(), bn.mean(), BN_MOMENTUM));
      updates.add(
          BatchNormalization.movingAverage(
              tf, plain.get(name + ".variance").variable(), bn.variance(), BN_MOMENTUM));
    }
    return bn.output();
  }

  private Operand<T> pool(Ops tf, Operand<T> x) {
    return tf.nn.avgPool(x, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
  }

  /** Zero-pads the channels of both state tensors up to {@code channels}. */
  private State<T> pad(Ops tf, State<T> s, int channels) {
    long have = s.a().shape().size(3);
    if (have == channels) {
      return s;
    }
    Operand<TInt32> paddings =
        tf.constant(new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, channels - (int) have}});
    Operand<T> zero = tf.constant(dtype, 0.0);
    return new State<>(tf.pad(s.a(), paddings, zero), tf.pad(s.b(), paddings, zero));
  }

  // ---------------------------------------------------------------------------------- helpers

  private Output<?>[] gradients(
      Ops tf, List<? extends Operand<?>> ys, List<? extends Operand<?>> xs, State<T> dys) {
    Graph g = (Graph) tf.scope().env();
    Output<?>[] y = ys.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
    Output<?>[] x = xs.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
    Output<?>[] dy = dys == null ? null : new Output<?>[] {dys.a().asOutput(), dys.b().asOutput()};
    return g.addGradients("net_grad" + (gradientCalls++), y, x, dy);
  }

  private void putAll(
      Map<String, Operand<T>> grads, List<String> names, Output<?>[] g, int offset) {
    for (int k = 0; k < names.size(); k++) {
      grads.put(names.get(k), cast(g[offset + k]));
    }
  }

  @SuppressWarnings("unchecked")
  private Operand<T> cast(Output<?> o) {
    return (Operand<T>) o;
  }

  private void addPlain(Ops tf, ParameterSpec p) {
    String name = p.name();
    ResourceVariable<T> v =
        ResourceVariable.create(
            tf, name, p.initialValue(tf, dtype, 0, seed, 7L * name.hashCode(), 1.0));
    plain.put(name, NetworkParameter.plain(p, v));
  }

  @Override
  public void close() {
    units.forEach(ReversibleUnit::close);
  }
}
