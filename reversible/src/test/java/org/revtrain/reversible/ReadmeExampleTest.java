package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The README's API example, verbatim between the markers, so that it cannot rot. */
class ReadmeExampleTest {

  @Test
  void readmeExampleBuildsAndRunsATrainingStep() {
    // README-EXAMPLE-BEGIN
    try (Graph graph = new Graph();
        ReversibleUnit<TFloat32> unit =
            ReversibleUnit.builder(new HamiltonianBlock(true)) // Verlet blocks, BN inside σ
                .blocks(1000) // depth costs no graph size and no activation memory
                .channels(8) // per state tensor (Y, Z)
                .stepSize(0.1)
                .mode(GradientMode.reversible())
                .build(Ops.create(graph), TFloat32.class)) {
      Ops tf = Ops.create(graph);
      var y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 8)));
      var z = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 8)));
      Sweep<TFloat32> out = unit.forward(tf, new State<>(y, z), Phase.TRAINING);
      // upstream gradient of some loss, here L = Σ Y_n + Σ Z_n
      var up = new State<>(tf.onesLike(out.output().a()), tf.onesLike(out.output().b()));
      UnitGradients<TFloat32> grads = unit.backward(tf, out, up); // reconstructs, never stores
      Operand<TFloat32> dK1 = grads.parameters().get("K1"); // [1000, 3, 3, 8, 8]
      // README-EXAMPLE-END
      float[] values = new float[2 * 32 * 32 * 8];
      java.util.Random random = new java.util.Random(1);
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextGaussian();
      }
      try (Session s = new Session(graph);
          TFloat32 input =
              TFloat32.tensorOf(
                  Shape.of(2, 32, 32, 8),
                  org.tensorflow.ndarray.buffer.DataBuffers.of(values, true, false))) {
        s.initialize();
        try (Result r =
            s.runner()
                .feed(y, input)
                .feed(z, input)
                .fetch(dK1)
                .fetch(grads.reconstructionError())
                .run()) {
          assertEquals(Shape.of(1000, 3, 3, 8, 8), r.get(0).shape());
          float error = ((TFloat32) r.get(1)).getFloat();
          assertTrue(error > 0 && error < 1e-3, "reconstruction error " + error);
        }
      }
    }
  }
}
