package org.revtrain.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.Phase;
import org.revtrain.reversible.ReversibleUnit;
import org.revtrain.reversible.State;
import org.revtrain.reversible.Sweep;
import org.revtrain.reversible.UnitGradients;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.revtrain.reversible.measure.StepTrace;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The training step {@link UnitBenchmark} measures: one unit of Hamiltonian blocks (no batch
 * normalisation), float32, input state 2 × [batch, 32, 32, 8] of graph constants, h = 0.1; the
 * forward sweep and the backward pass against an upstream gradient of ones, fetching the input and
 * parameter gradients in one run. Owns its graph, session and the unit's loop functions.
 */
final class UnitStep implements AutoCloseable {
  static final int SIZE = 32;
  static final int CHANNELS = 8;
  static final double STEP_SIZE = 0.1;
  static final int THREADS = 2;

  final GradientMode mode;
  final int blocks;
  final int batch;
  final double buildSeconds;
  final int opCount;
  private final Graph graph;
  private ReversibleUnit<TFloat32> unit;
  private Session session;
  private final List<Operand<?>> fetches = new ArrayList<>();

  UnitStep(GradientMode mode, int blocks, int batch) {
    this.mode = mode;
    this.blocks = blocks;
    this.batch = batch;
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Random random = new Random(1);
      Shape shape = Shape.of(batch, SIZE, SIZE, CHANNELS);
      State<TFloat32> input = new State<>(constant(tf, shape, random), constant(tf, shape, random));
      long t0 = System.nanoTime();
      unit =
          ReversibleUnit.builder(new HamiltonianBlock(false))
              .blocks(blocks)
              .channels(CHANNELS)
              .stepSize(STEP_SIZE)
              .mode(mode)
              .build(tf, TFloat32.class);
      Sweep<TFloat32> forward = unit.forward(tf, input, Phase.TRAINING);
      State<TFloat32> upstream =
          new State<>(tf.onesLike(forward.output().a()), tf.onesLike(forward.output().b()));
      UnitGradients<TFloat32> gradients = unit.backward(tf, forward, upstream);
      buildSeconds = seconds(System.nanoTime() - t0);
      fetches.add(gradients.input().a());
      fetches.add(gradients.input().b());
      fetches.addAll(gradients.parameters().values());
      opCount = StepTrace.operationCount(graph);
      ConfigProto config =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(THREADS)
              .setInterOpParallelismThreads(THREADS)
              .build();
      session = new Session(graph, config);
      session.initialize();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private Session.Runner runner() {
    Session.Runner runner = session.runner();
    fetches.forEach(runner::fetch);
    return runner;
  }

  /** Runs the step once; its wall time in seconds, fetched tensors released. */
  double timedStep() {
    long t0 = System.nanoTime();
    try (Result ignored = runner().run()) {
      return seconds(System.nanoTime() - t0);
    }
  }

  /** Runs the step once with full tracing. */
  StepTrace tracedStep() {
    return StepTrace.of(tracedMetadata());
  }

  /** Runs the step once with full tracing; the raw step statistics. */
  org.tensorflow.proto.RunMetadata tracedMetadata() {
    try (Result res = StepTrace.run(runner())) {
      return res.getMetadata().orElseThrow();
    }
  }

  @Override
  public void close() {
    try {
      if (session != null) {
        session.close();
        session = null;
      }
      graph.close();
    } finally {
      if (unit != null) {
        unit.close(); // the unit's loop functions; the graph holds its own copies of them
        unit = null;
      }
    }
  }

  private static Operand<TFloat32> constant(Ops tf, Shape shape, Random r) {
    float[] v = new float[(int) shape.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return tf.constant(shape, DataBuffers.of(v, true, false));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
