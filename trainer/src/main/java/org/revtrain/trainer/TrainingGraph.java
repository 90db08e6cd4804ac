package org.revtrain.trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.revtrain.models.Discretisation;
import org.revtrain.models.Network;
import org.revtrain.models.ParameterValues;
import org.revtrain.models.TrainingStep;
import org.revtrain.reversible.ResourceVariable;
import org.revtrain.reversible.VariableSaver;
import org.revtrain.reversible.measure.StepTrace;
import org.revtrain.reversible.measure.TensorValues;
import org.revtrain.trainer.data.ImageDataset;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The graph and session of a training run. One {@link #step} is one {@code Session.run}: forward,
 * the network's backward pass (reversible or not, as its mode says), the regularisers' gradients,
 * the momentum update of every trainable variable and the batch-norm statistics update.
 *
 * <p>The loss L is the batch mean of the softmax cross-entropy; the update descends
 *
 * <pre>  L + (λ/2) Σ_W ‖W‖² + R_smooth</pre>
 *
 * with the gradient of each term added analytically ({@link WeightDecay}, {@link
 * SmoothnessRegularizer}). Units that reconstruct (REVERSIBLE, CHECKPOINT) apply that update to
 * each block's slice inside their backward loop, as soon as its gradient exists ({@link
 * MomentumSgd#perBlock}): no unit's whole gradient is ever held, so the step's memory above the
 * weights and momentum slots is one block's activations. The other variables are updated after the
 * backward pass, waiting for every gradient and output of the step. The learning rate, the batch
 * and the stochastic-depth seed (seed, step) are fed, so nothing in the graph changes from step to
 * step.
 *
 * <p>The same graph holds the inference graph, for evaluation with the running statistics. Owns a
 * native graph and session: close it.
 */
public final class TrainingGraph<T extends TFloating> implements AutoCloseable {
  private final NativeResources resources = new NativeResources();
  private final Graph graph;
  private final Session session;
  private final Network<T> network;
  private final ImageShape shape;
  private final int batch;
  private final long seed;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TInt64> dropSeed;
  private final Placeholder<TFloat64> learningRate;
  private final Operand<TFloat64> loss;
  private final Operand<TInt32> correct;
  private final Operand<TFloat64> reconstructionError;
  private final Operand<TFloat64> unitReconstructionErrors;
  private final Regularization<T> regularization;
  private final Class<T> dtype;
  private Map<String, Operand<TFloat64>> gradients;
  private final List<Op> updates = new ArrayList<>();
  private final Map<String, ResourceVariable<T>> variables = new LinkedHashMap<>();
  private final Map<String, Operand<T>> reads = new LinkedHashMap<>();
  private final Operand<TBool> finite;
  private final EvaluationGraph<T> evaluation;

  private TrainingGraph(
      TrainingConfig config, ImageShape shape, Class<T> dtype, ConfigProto sessionConfig) {
    this.shape = shape;
    this.batch = config.batch();
    this.seed = config.seed();
    this.graph = resources.add(new Graph());
    try {
      Ops tf = Ops.create(graph);
      Network<T> net =
          resources.add(
              Network.create(
                  tf,
                  config.precision().fields(config.model()),
                  shape.channels(),
                  shape.classes(),
                  config.modes(),
                  dtype,
                  config.seed()));
      images =
          tf.withName("train_images")
              .placeholder(
                  TFloat32.class,
                  Placeholder.shape(
                      Shape.of(batch, shape.height(), shape.width(), shape.channels())));
      labels =
          tf.withName("train_labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(batch)));
      dropSeed = tf.withName("drop_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      learningRate =
          tf.withName("learning_rate")
              .placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
      this.dtype = dtype;
      this.regularization = new Regularization<>(config, net, dtype);
      Map<String, ResourceVariable<T>> trainable = new LinkedHashMap<>();
      net.parameters()
          .forEach(
              (k, p) -> {
                variables.put(k, p.variable());
                if (p.trainable()) {
                  trainable.put(k, p.variable());
                }
              });
      MomentumSgd<T> sgd = MomentumSgd.create(tf, trainable, config.momentum(), dtype);
      sgd.slots().forEach((k, v) -> variables.put(k + MomentumSgd.SLOT_SUFFIX, v));
      Operand<T> rate = tf.dtypes.cast(learningRate, dtype);

      // Units that reconstruct update each block inside their backward loop; the rest after it.
      TrainingStep<T> step =
          net.trainingStep(
              tf,
              EvaluationGraph.cast(tf, images, dtype),
              labels,
              dropSeed,
              sgd.perBlock(rate, regularization::totalOfBlock));
      loss = tf.dtypes.cast(step.loss(), TFloat64.class);
      correct = Classification.correct(tf, Classification.predicted(tf, step.logits()), labels);
      reconstructionError = tf.dtypes.cast(step.reconstructionError(), TFloat64.class);
      unitReconstructionErrors =
          tf.dtypes.cast(tf.stack(step.unitReconstructionErrors()), TFloat64.class);
      Map<String, Operand<T>> total = new LinkedHashMap<>();
      step.gradients().forEach((k, g) -> total.put(k, regularization.total(tf, k, g)));
      for (String k : trainable.keySet()) {
        if (!total.containsKey(k) && !step.updatedInBackward().contains(k)) {
          throw new IllegalStateException("no update for trainable variable " + k);
        }
      }
      List<Op> before = new ArrayList<>(total.values());
      before.add(step.loss());
      before.add(step.logits());
      before.add(step.reconstructionError());
      before.add(correct);
      updates.addAll(sgd.update(tf.withControlDependencies(before), total, rate));
      updates.addAll(step.statisticUpdates());

      evaluation = new EvaluationGraph<>(tf, net, shape, dtype, null, "eval_");
      finite = allFinite(tf, variables);
      variables.forEach((k, v) -> reads.put(k, v.read(tf)));
      VariableSaver.addTo(tf, List.copyOf(variables.values()));
      Session s = resources.add(new Session(graph, sessionConfig));
      this.network = net;
      this.session = s;
    } catch (RuntimeException e) {
      resources.close();
      throw e;
    }
  }

  /**
   * Builds the graph of {@code config} for images of {@code shape} and opens its session. The
   * variables are uninitialised: call {@link #initialize()} or {@link #restore}.
   *
   * @param config the run's configuration: model, precision, device, optimiser settings
   * @param shape the images' height, width and channels
   * @param sessionConfig the TensorFlow session's configuration (threads, devices)
   * @return the graph and its open session; close it to free them
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static TrainingGraph<?> build(
      TrainingConfig config, ImageShape shape, ConfigProto sessionConfig) {
    return new TrainingGraph(config, shape, config.precision().type(), sessionConfig);
  }

  private static <T extends TFloating> Operand<TBool> allFinite(
      Ops tf, Map<String, ResourceVariable<T>> vars) {
    List<Operand<TBool>> each = new ArrayList<>();
    for (ResourceVariable<T> v : vars.values()) {
      Operand<TBool> f = tf.math.isFinite(v.read(tf));
      int rank = v.shape().numDimensions();
      int[] axes = new int[rank];
      for (int i = 0; i < rank; i++) {
        axes[i] = i;
      }
      each.add(tf.reduceAll(f, tf.constant(axes)));
    }
    return tf.reduceAll(tf.stack(each), tf.constant(0));
  }

  /** Runs the variables' initialisers (a fresh run). */
  public void initialize() {
    session.initialize();
  }

  /**
   * Assigns the network's variables (weights and running statistics) the values of a trained
   * network whose ODE this network integrates by {@code discretisation}; the momentum slots keep
   * theirs.
   *
   * @param trained the trained network's variable values, by name
   * @param discretisation how this network integrates the trained one's ODE
   * @throws IllegalArgumentException naming a variable without a value of its size
   */
  public void assign(Map<String, double[]> trained, Discretisation discretisation) {
    ParameterValues.write(
        Ops.create(graph), session, network, discretisation.values(network, trained));
  }

  /**
   * Assigns every variable (weights, running statistics and momentum slots) the values of a network
   * in training whose ODE this network integrates by {@code discretisation}: each slot is mapped as
   * its weight is (a refined block's slice continues with its coarse block's velocity), so training
   * goes on as if the network had always been this one.
   *
   * @param training every variable's value in the other network, by name ({@link #values})
   * @param discretisation how this network integrates the other one's ODE
   * @throws IllegalArgumentException naming a variable without a value of its size
   */
  public void assignInTraining(Map<String, double[]> training, Discretisation discretisation) {
    Map<String, double[]> mapped = new LinkedHashMap<>(discretisation.values(network, training));
    network
        .parameters()
        .forEach(
            (name, p) -> {
              String slot = name + MomentumSgd.SLOT_SUFFIX;
              if (variables.containsKey(slot)) {
                mapped.put(slot, discretisation.values(p, training.get(slot)));
              }
            });
    ParameterValues.write(Ops.create(graph), session, variables, mapped);
  }

  /**
   * Restores every variable (weights, running statistics, momentum slots) from a checkpoint.
   *
   * @param prefix the checkpoint's variables prefix, e.g. {@code .../step-00000020/variables}
   */
  public void restore(Path prefix) {
    session.restore(prefix.toString());
  }

  /**
   * Saves every variable under {@code prefix} ({@code prefix.index}, {@code prefix.data-*}).
   *
   * @param prefix the checkpoint's variables prefix, e.g. {@code .../step-00000020/variables}
   */
  public void save(Path prefix) {
    session.save(prefix.toString());
  }

  /**
   * Runs one training step: forward, backward and update.
   *
   * @param pixels a standardised (and augmented) batch, NHWC, {@code batch} images
   * @param y its labels
   * @param rate the learning rate of this step
   * @param stepIndex 0-based index of the step, which seeds its stochastic-depth draws with the
   *     run's seed
   * @param trace whether to record the TensorFlow allocator's peak (slower)
   * @return the step's loss, accuracy and reconstruction errors, and the allocator's peak if traced
   */
  public StepOutcome step(float[] pixels, int[] y, double rate, long stepIndex, boolean trace) {
    try (TFloat32 xt = Tensors.images(pixels, batch, shape);
        TInt32 yt = Tensors.labels(y, batch);
        TInt64 st = TInt64.vectorOf(seed, stepIndex);
        TFloat64 lt = TFloat64.scalarOf(rate)) {
      Session.Runner run =
          session
              .runner()
              .feed(images, xt)
              .feed(labels, yt)
              .feed(dropSeed, st)
              .feed(learningRate, lt);
      run.fetch(loss).fetch(correct).fetch(reconstructionError).fetch(unitReconstructionErrors);
      updates.forEach(run::addTarget);
      try (Result r = trace ? StepTrace.run(run) : run.run()) {
        OptionalLong peak = OptionalLong.empty();
        if (trace && r.getMetadata().isPresent()) {
          try {
            peak = OptionalLong.of(StepTrace.of(r.getMetadata().get()).allocatorPeakBytes());
          } catch (IllegalStateException noTotals) {
            peak = OptionalLong.empty();
          }
        }
        return new StepOutcome(
            Tensors.scalar(r.get(0)),
            ((TInt32) r.get(1)).getInt() / (double) batch,
            Tensors.scalar(r.get(2)),
            Arrays.stream(TensorValues.doubles(r.get(3))).boxed().toList(),
            peak);
      }
    }
  }

  /**
   * The total gradient (loss, weight decay and smoothness) of every trainable variable on one
   * batch, without updating anything: for checks and diagnostics.
   *
   * @param pixels a standardised batch, NHWC, {@code batch} images
   * @param y its labels
   * @param stepIndex 0-based index of the step, which seeds its stochastic-depth draws
   * @return each trainable variable's gradient, row-major, by name
   */
  public Map<String, double[]> gradients(float[] pixels, int[] y, long stepIndex) {
    Map<String, Operand<TFloat64>> gradients = totalGradients();
    try (TFloat32 xt = Tensors.images(pixels, batch, shape);
        TInt32 yt = Tensors.labels(y, batch);
        TInt64 st = TInt64.vectorOf(seed, stepIndex)) {
      Session.Runner run = session.runner().feed(images, xt).feed(labels, yt).feed(dropSeed, st);
      List<String> names = List.copyOf(gradients.keySet());
      names.forEach(n -> run.fetch(gradients.get(n)));
      Map<String, double[]> out = new LinkedHashMap<>();
      try (Result r = run.run()) {
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), TensorValues.doubles(r.get(i)));
        }
      }
      return out;
    }
  }

  /**
   * Every trainable variable's total gradient as one tensor: a second training step without
   * per-block updates, added to the graph on first use (the training step never builds it).
   */
  private synchronized Map<String, Operand<TFloat64>> totalGradients() {
    if (gradients == null) {
      Ops tf = Ops.create(graph);
      TrainingStep<T> plain =
          network.trainingStep(tf, EvaluationGraph.cast(tf, images, dtype), labels, dropSeed);
      Map<String, Operand<TFloat64>> all = new LinkedHashMap<>();
      plain
          .gradients()
          .forEach(
              (k, g) -> all.put(k, tf.dtypes.cast(regularization.total(tf, k, g), TFloat64.class)));
      gradients = all;
    }
    return gradients;
  }

  /**
   * The current value of every variable (weights, statistics, momentum slots), by name.
   *
   * @return each variable's value, row-major, by name
   */
  public Map<String, double[]> values() {
    Session.Runner run = session.runner();
    List<String> names = List.copyOf(variables.keySet());
    names.forEach(n -> run.fetch(reads.get(n)));
    Map<String, double[]> out = new LinkedHashMap<>();
    try (Result r = run.run()) {
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), TensorValues.doubles(r.get(i)));
      }
    }
    return out;
  }

  /**
   * Whether every variable is finite (no NaN or infinity).
   *
   * @return true if no variable holds NaN or an infinity
   */
  public boolean weightsFinite() {
    try (Result r = session.runner().fetch(finite).run()) {
      return ((TBool) r.get(0)).getBoolean();
    }
  }

  /**
   * Whether the current weights are usable: every variable finite, and a finite inference loss on
   * {@code count} images of a standardised batch (weights can be finite yet so large that the
   * forward pass overflows).
   *
   * @param pixels a standardised batch, NHWC
   * @param y its labels
   * @param count the images of the batch to evaluate, ≥ 1
   * @return true if the weights are finite and the loss on the images is finite
   */
  public boolean weightsUsable(float[] pixels, int[] y, int count) {
    try (TFloat32 xt = Tensors.images(pixels, count, shape);
        TInt32 yt = Tensors.labels(y, count);
        Result r =
            session
                .runner()
                .feed(evaluation.images, xt)
                .feed(evaluation.labels, yt)
                .fetch(finite)
                .fetch(evaluation.lossSum)
                .run()) {
      return ((TBool) r.get(0)).getBoolean() && Double.isFinite(Tensors.scalar(r.get(1)));
    }
  }

  /**
   * Evaluates the network (running statistics, no stochastic depth) on standardised data.
   *
   * @param standardized the data, already standardised
   * @param batchSize examples per evaluation batch, ≥ 1
   * @return the mean loss and the accuracy in [0, 1] over every example
   */
  public Evaluation evaluate(ImageDataset standardized, int batchSize) {
    return evaluation.evaluate(session, standardized, batchSize);
  }

  /**
   * The logits [count × classes] of the first {@code count} standardised images of a buffer.
   *
   * @param pixels standardised images, NHWC, at least {@code count} of them
   * @param count the images to evaluate, ≥ 1
   * @return the logits, row-major, count · classes values
   */
  public double[] logits(float[] pixels, int count) {
    return evaluation.logits(session, pixels, count);
  }

  /**
   * The network.
   *
   * @return the network the graph trains
   */
  public Network<T> network() {
    return network;
  }

  /**
   * Examples per training batch.
   *
   * @return the batch size, ≥ 1
   */
  public int batch() {
    return batch;
  }

  /**
   * The input the network is built for.
   *
   * @return the images' height, width and channels
   */
  public ImageShape shape() {
    return shape;
  }

  /**
   * Number of ops in the graph (it does not grow with depth in REVERSIBLE mode).
   *
   * @return the number of top-level ops of the graph
   */
  public int graphSize() {
    return StepTrace.operationCount(graph);
  }

  @Override
  public void close() {
    resources.close();
  }
}
