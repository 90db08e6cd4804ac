package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.revtrain.reversible.measure.StepTrace;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Hamiltonian unit's whole training step (forward, backward, statistics update) in its own graph,
 * for tests that inspect the graph or trace a run. Close it.
 */
final class TrainingGraph implements AutoCloseable {
  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final ReversibleUnit<TFloat32> unit;
  final Sweep<TFloat32> forward;
  final UnitGradients<TFloat32> gradients;
  final List<Operand<?>> fetches = new ArrayList<>();

  TrainingGraph(
      GradientMode mode, int blocks, int batch, int size, int channels, boolean batchNorm) {
    unit =
        ReversibleUnit.builder(new HamiltonianBlock(batchNorm))
            .blocks(blocks)
            .channels(channels)
            .stepSize(0.1)
            .mode(mode)
            .build(tf, TFloat32.class);
    Random r = new Random(1);
    Shape shape = Shape.of(batch, size, size, channels);
    State<TFloat32> in =
        new State<>(
            UnitProbe.constant(tf, shape, r, TFloat32.class),
            UnitProbe.constant(tf, shape, r, TFloat32.class));
    forward = unit.forward(tf, in, Phase.TRAINING);
    State<TFloat32> up =
        new State<>(tf.onesLike(forward.output().a()), tf.onesLike(forward.output().b()));
    gradients = unit.backward(tf, forward, up);
    fetches.add(gradients.input().a());
    fetches.add(gradients.input().b());
    fetches.addAll(gradients.parameters().values());
  }

  int operationCount() {
    return StepTrace.operationCount(graph);
  }

  /** Runs the step {@code runs} times and traces the last run. */
  StepTrace traceStep(int runs) {
    try (Session s = new Session(graph)) {
      s.initialize();
      StepTrace last = null;
      for (int i = 0; i < runs; i++) {
        Session.Runner runner = s.runner();
        fetches.forEach(runner::fetch);
        try (Result res = StepTrace.run(runner)) {
          last = StepTrace.of(res.getMetadata().orElseThrow());
        }
      }
      return last;
    }
  }

  @Override
  public void close() {
    unit.close();
    graph.close();
  }
}
