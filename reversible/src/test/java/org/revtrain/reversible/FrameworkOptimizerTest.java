package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.revtrain.reversible.measure.TensorValues;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/**
 * A model of ordinary TensorFlow ops (a convolution before, a dense layer after) around a unit of
 * reference variables trains with TensorFlow Java's own optimizers ({@code minimize(loss)}): three
 * steps in REVERSIBLE and CHECKPOINT(2) reach the weights of the same model in STORED to float64
 * precision, and the unit's batch-norm running statistics move once per step, by the training op
 * itself.
 */
class FrameworkOptimizerTest {
  private static final int CHANNELS = 4;
  private static final int CLASSES = 3;
  private static final int STEPS = 3;
  private static final double STATISTICS_MOMENTUM = 0.9;

  /** Every variable's value before training and after it, by name. */
  private record Trained(Map<String, double[]> initial, Map<String, double[]> after) {}

  static Stream<Arguments> cases() {
    Function<Graph, Optimizer> momentum = g -> new Momentum(g, 0.05f, 0.9f);
    // β1 = β2 = 0: TensorFlow Java's Adam updates its β powers unordered with the ApplyAdam ops
    // that read them, a race whose outcome depends on the graph's schedule (two STORED runs with
    // the default β differ by ~3% after 3 steps); with β = 0 the powers stay 0 and the race is moot
    Function<Graph, Optimizer> adam = g -> new Adam(g, 0.01f, 0f, 0f, 1e-8f);
    return Stream.of(
        Arguments.of("Momentum", momentum, GradientMode.reversible()),
        Arguments.of("Adam", adam, GradientMode.reversible()),
        Arguments.of("Momentum", momentum, GradientMode.checkpoint(2)));
  }

  @SuppressWarnings("unchecked")
  private static Trained train(Function<Graph, Optimizer> optimizer, GradientMode mode) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Random r = new Random(3);
      Operand<TFloat64> x =
          UnitProbe.constant(tf, Shape.of(4, UnitProbe.SIZE, UnitProbe.SIZE, 3), r, TFloat64.class);
      double[] onehot = new double[4 * CLASSES];
      for (int i = 0; i < 4; i++) {
        onehot[i * CLASSES + i % CLASSES] = 1;
      }
      Operand<TFloat64> labels = tf.reshape(tf.constant(onehot), tf.constant(new long[] {4, 3}));
      // ordinary layers of the model's own: a convolution into the two state tensors, a dense head
      Variable<TFloat64> stem =
          tf.withName("stem")
              .variable(
                  tf.math.mul(
                      UnitProbe.constant(tf, Shape.of(3, 3, 3, 2 * CHANNELS), r, TFloat64.class),
                      tf.constant(0.3)));
      Variable<TFloat64> dense =
          tf.withName("dense")
              .variable(
                  tf.math.mul(
                      UnitProbe.constant(tf, Shape.of(2 * CHANNELS, CLASSES), r, TFloat64.class),
                      tf.constant(0.3)));
      try (ReversibleUnit<TFloat64> unit =
          ReversibleUnit.builder(new HamiltonianBlock(true))
              .blocks(4)
              .channels(CHANNELS)
              .stepSize(0.2)
              .mode(mode)
              .seed(5)
              .initScale(0.5)
              .referenceVariables()
              .statisticsMomentum(STATISTICS_MOMENTUM)
              .build(tf, TFloat64.class)) {
        Operand<TFloat64> y = tf.nn.conv2d(x, stem, List.of(1L, 1L, 1L, 1L), "SAME");
        List<Operand<TFloat64>> halves =
            tf.split(tf.constant(3), y, 2L).output().stream()
                .map(o -> (Operand<TFloat64>) o)
                .toList();
        Sweep<TFloat64> sweep =
            unit.forward(tf, new State<>(halves.get(0), halves.get(1)), Phase.TRAINING);
        Operand<TFloat64> pooled =
            tf.math.mean(
                tf.concat(List.of(sweep.output().a(), sweep.output().b()), tf.constant(3)),
                tf.constant(new int[] {1, 2}));
        Operand<TFloat64> logits = tf.linalg.matMul(pooled, dense);
        // a squared error: TensorFlow's C++ gradient of the softmax cross-entropy builds float32
        // constants into a float64 graph
        Operand<TFloat64> loss =
            tf.math.mean(
                tf.math.square(tf.math.sub(logits, labels)), tf.constant(new int[] {0, 1}));
        Op step = optimizer.apply(g).minimize(loss);

        Map<String, Operand<?>> variables = new LinkedHashMap<>();
        variables.put("stem", stem);
        variables.put("dense", dense);
        for (UnitParameter<TFloat64> p : unit.parameters()) {
          variables.put(p.name(), p.variable().read(tf));
        }
        UnitParameter<TFloat64> running =
            unit.parameters().stream()
                .filter(p -> p.spec().role() == ParameterSpec.Role.RUNNING_MEAN)
                .findFirst()
                .orElseThrow();
        String mean = running.name();
        Operand<TFloat64> batchMean = sweep.batchStatistics().get(running.spec().name());
        try (Session s = new Session(g)) {
          s.initialize();
          Map<String, double[]> initial = UnitProbe.fetch(s, variables);
          double[] batch = null;
          for (int k = 0; k < STEPS; k++) {
            Session.Runner run = s.runner().addTarget(step);
            if (k == 0) {
              run.fetch(batchMean);
            }
            try (Result res = run.run()) {
              if (k == 0) {
                batch = TensorValues.doubles(res.get(0));
              }
            }
            if (k == 0) {
              // once per step: s1 = m·s0 + (1 − m)·ŝ of the step's own batch statistics
              double[] s0 = initial.get(mean);
              double[] s1 = UnitProbe.fetch(s, Map.of(mean, variables.get(mean))).get(mean);
              double[] expected = new double[s0.length];
              for (int i = 0; i < s0.length; i++) {
                expected[i] = STATISTICS_MOMENTUM * s0[i] + (1 - STATISTICS_MOMENTUM) * batch[i];
              }
              assertTrue(
                  UnitProbe.relativeError(s1, expected) < 1e-12,
                  "running mean after one step: " + UnitProbe.relativeError(s1, expected));
            }
          }
          return new Trained(initial, UnitProbe.fetch(s, variables));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("cases")
  void frameworkOptimizerTrainsAUnitAsStored(
      String name, Function<Graph, Optimizer> optimizer, GradientMode mode) {
    Trained stored = train(optimizer, GradientMode.stored());
    Trained reconstructing = train(optimizer, mode);
    assertEquals(stored.after().keySet(), reconstructing.after().keySet());
    int moved = 0;
    for (String k : stored.after().keySet()) {
      double e = UnitProbe.relativeError(reconstructing.after().get(k), stored.after().get(k));
      assertTrue(e <= 1e-10, name + " " + mode + " " + k + ": " + e + " from STORED");
      if (UnitProbe.relativeError(stored.after().get(k), stored.initial().get(k)) > 1e-6) {
        moved++;
      }
    }
    // the unit's trainable weights, its running statistics and both ordinary layers all moved
    assertTrue(moved >= 6, name + ": only " + moved + " variables changed in training");
  }
}
