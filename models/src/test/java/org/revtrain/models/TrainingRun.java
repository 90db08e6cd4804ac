package org.revtrain.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.revtrain.reversible.BlockUpdate;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.measure.StepTrace;
import org.revtrain.reversible.measure.TensorValues;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * A network's whole float32 training step on one fixed, learnable batch, with plain SGD: each step
 * runs the loss, θ ← θ − η ∂L/∂θ for every trainable variable and the batch-norm statistic updates
 * in one {@code Session.run}. Units that reconstruct update each block inside their backward loop
 * ({@link BlockUpdate#gradientDescent}); the rest after it ({@code ResourceApplyGradientDescent}).
 * The drop seed is fed per step, so stochastic depth draws anew each step. Close it.
 *
 * <p>The batch: {@code classes} classes, image i of class c = c's fixed random mean image (per
 * pixel and channel, N(0, 1)) + N(0, 0.5²) noise — learnable from a single batch.
 */
final class TrainingRun implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Network<TFloat32> net;
  private final TrainingStep<TFloat32> step;
  private final Operand<TInt64> dropSeed;
  private final List<Op> targets = new ArrayList<>();
  private final Session session;
  private int steps;

  TrainingRun(
      ModelSpec spec,
      GradientMode mode,
      int batch,
      int size,
      int channels,
      int classes,
      double rate) {
    Ops tf = Ops.create(graph);
    net = Network.create(tf, spec, channels, classes, mode, TFloat32.class, 1);
    Random r = new Random(17);
    int pixels = size * size * channels;
    float[][] means = new float[classes][pixels];
    for (float[] m : means) {
      for (int i = 0; i < pixels; i++) {
        m[i] = (float) r.nextGaussian();
      }
    }
    float[] images = new float[batch * pixels];
    int[] labels = new int[batch];
    for (int n = 0; n < batch; n++) {
      labels[n] = n % classes;
      for (int i = 0; i < pixels; i++) {
        images[n * pixels + i] = means[labels[n]][i] + 0.5f * (float) r.nextGaussian();
      }
    }
    Operand<TFloat32> x =
        tf.constant(Shape.of(batch, size, size, channels), DataBuffers.of(images, true, false));
    dropSeed = tf.placeholder(TInt64.class, org.tensorflow.op.core.Placeholder.shape(Shape.of(2)));
    Operand<TFloat32> lr = tf.constant((float) rate);
    step = net.trainingStep(tf, x, tf.constant(labels), dropSeed, BlockUpdate.gradientDescent(lr));
    step.gradients()
        .forEach(
            (name, grad) ->
                targets.add(
                    tf.train.resourceApplyGradientDescent(
                        net.parameters().get(name).variable().handle(), lr, grad)));
    targets.addAll(step.statisticUpdates());
    ConfigProto config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(2)
            .setInterOpParallelismThreads(2)
            .build();
    session = new Session(graph, config);
    session.initialize();
  }

  Network<TFloat32> network() {
    return net;
  }

  /** Runs one training step; returns its loss (before the update). */
  double step() {
    try (TInt64 seed = TInt64.vectorOf(steps++, 3L);
        Result res = runner(seed).run()) {
      return TensorValues.doubles(res.get(0))[0];
    }
  }

  /** Runs one training step with FULL_TRACE and returns its trace. */
  StepTrace tracedStep() {
    try (TInt64 seed = TInt64.vectorOf(steps++, 3L);
        Result res = StepTrace.run(runner(seed))) {
      return StepTrace.of(res.getMetadata().orElseThrow());
    }
  }

  org.tensorflow.proto.RunMetadata tracedMeta() {
    try (TInt64 seed = TInt64.vectorOf(steps++, 3L);
        Result res = StepTrace.run(runner(seed))) {
      return res.getMetadata().orElseThrow();
    }
  }

  private Session.Runner runner(TNumber seed) {
    Session.Runner run = session.runner().feed(dropSeed, seed).fetch(step.loss());
    targets.forEach(run::addTarget);
    return run;
  }

  @Override
  public void close() {
    session.close();
    net.close();
    graph.close();
  }
}
