package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * {@code Session.save} and {@code Session.restore} through {@link VariableSaver} keep every
 * variable of a graph with a unit in it: the unit's reference-variable weights, its
 * resource-variable running statistics and the application's own layer, after training moved them
 * all.
 */
class VariableSaverTest {
  @TempDir Path dir;

  /** A dense layer after a unit with batch norm; its variables by name, trained when asked. */
  private static Map<String, double[]> model(long seed, int steps, Path save, Path restore) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Random r = new Random(seed);
      Shape shape = Shape.of(UnitProbe.BATCH, UnitProbe.SIZE, UnitProbe.SIZE, 4);
      Operand<TFloat64> a = UnitProbe.constant(tf, shape, r, TFloat64.class);
      Operand<TFloat64> b = UnitProbe.constant(tf, shape, r, TFloat64.class);
      ReferenceVariable<TFloat64> dense =
          ReferenceVariable.create(
              tf, "dense", UnitProbe.constant(tf, Shape.of(4, 2), r, TFloat64.class));
      try (ReversibleUnit<TFloat64> unit =
          ReversibleUnit.builder(new HamiltonianBlock(true))
              .blocks(3)
              .channels(4)
              .stepSize(0.2)
              .seed(seed)
              .referenceVariables()
              .statisticsMomentum(0.5)
              .build(tf, TFloat64.class)) {
        State<TFloat64> out = unit.forward(tf, new State<>(a, b), Phase.TRAINING).output();
        Operand<TFloat64> features = tf.math.mean(out.a(), tf.constant(new int[] {1, 2}));
        Operand<TFloat64> logits = tf.linalg.matMul(features, dense.variable());
        Operand<TFloat64> loss =
            tf.math.mean(tf.math.square(logits), tf.constant(new int[] {0, 1}));
        Op step = new Momentum(g, 0.1f, 0.9f).minimize(loss);
        List<StackedVariable<?>> variables = new ArrayList<>(unit.variables());
        variables.add(dense);
        VariableSaver.addTo(tf, variables);
        try (Session s = new Session(g)) {
          s.initialize();
          if (restore != null) {
            s.restore(restore.toString());
          }
          for (int k = 0; k < steps; k++) {
            s.runner().addTarget(step).run();
          }
          if (save != null) {
            s.save(save.toString());
          }
          Map<String, Operand<?>> reads = new LinkedHashMap<>();
          variables.forEach(v -> reads.put(v.name(), v.read(tf)));
          return UnitProbe.fetch(s, reads);
        }
      }
    }
  }

  @Test
  void saveAndRestoreKeepEveryVariableOfAGraphWithAUnit() {
    Path prefix = dir.resolve("model");
    Map<String, double[]> initial = model(1, 0, null, null);
    Map<String, double[]> trained = model(1, 3, prefix, null);
    Map<String, double[]> other = model(2, 0, null, null);
    Map<String, double[]> restored = model(2, 0, null, prefix);
    assertEquals(trained.keySet(), restored.keySet());
    assertTrue(trained.keySet().stream().anyMatch(k -> k.endsWith(".mean")), "running statistics");
    for (String k : trained.keySet()) {
      assertTrue(!Arrays.equals(trained.get(k), initial.get(k)), k + " did not train");
      assertTrue(!Arrays.equals(trained.get(k), other.get(k)), k + " is the same in both graphs");
      assertArrayEquals(trained.get(k), restored.get(k), 0.0, k + " restored");
    }
  }
}
