package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.revtrain.reversible.measure.TensorValues;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * {@link Graph#addGradients} through a unit's forward loop gives the reconstructing backward's
 * gradients: of the input state and of every trainable variable, equal to STORED (plain autodiff)
 * ones; and two units with ordinary ops between them differentiate in one call.
 */
class TensorFlowGradientTest {
  private static final int CHANNELS = 4;

  private static ReversibleUnitBuilder builder(ReversibleBlock block, GradientMode mode) {
    return ReversibleUnit.builder(block)
        .blocks(6)
        .stepSize(0.1)
        .mode(mode)
        .seed(11)
        .initScale(0.5)
        .channels(CHANNELS);
  }

  /** Σ out·up: its gradient with respect to the unit's output is up. */
  private static Operand<TFloat64> dot(Ops tf, State<TFloat64> out, State<TFloat64> up) {
    return tf.math.add(
        tf.reduceSum(tf.math.mul(out.a(), up.a()), tf.constant(new int[] {0, 1, 2, 3})),
        tf.reduceSum(tf.math.mul(out.b(), up.b()), tf.constant(new int[] {0, 1, 2, 3})));
  }

  @SuppressWarnings("unchecked")
  private static State<TFloat64> random(Ops tf, Random r) {
    Shape shape = Shape.of(UnitProbe.BATCH, UnitProbe.SIZE, UnitProbe.SIZE, CHANNELS);
    return new State<>(
        UnitProbe.constant(tf, shape, r, TFloat64.class),
        UnitProbe.constant(tf, shape, r, TFloat64.class));
  }

  private static Map<String, double[]> fetch(Graph g, Map<String, Operand<?>> fetches) {
    Map<String, double[]> out = new LinkedHashMap<>();
    try (Session s = new Session(g)) {
      s.initialize();
      Session.Runner runner = s.runner();
      List<String> names = new ArrayList<>(fetches.keySet());
      names.forEach(n -> runner.fetch(fetches.get(n)));
      try (Result res = runner.run()) {
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), TensorValues.doubles(res.get(i)));
        }
      }
    }
    return out;
  }

  private static void assertClose(String what, double[] actual, double[] expected, double tol) {
    double e = UnitProbe.relativeError(actual, expected);
    assertTrue(e <= tol, what + ": relative error " + e + " > " + tol);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.revtrain.reversible.BlockKinds#all")
  void addGradientsThroughAUnitEqualsItsBackwardAndStored(String kind, ReversibleBlock block) {
    UnitProbe.Values stored =
        UnitProbe.run(builder(block, GradientMode.stored()), CHANNELS, TFloat64.class, 5);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (ReversibleUnit<TFloat64> unit =
          builder(block, GradientMode.reversible()).build(tf, TFloat64.class)) {
        Random r = new Random(5);
        State<TFloat64> input = random(tf, r);
        State<TFloat64> up = random(tf, r);
        Sweep<TFloat64> f = unit.forward(tf, input, Phase.TRAINING);
        UnitGradients<TFloat64> own = unit.backward(tf, f, up);
        List<UnitParameter<TFloat64>> trainable = unit.trainableParameters();
        Output<?>[] x = new Output<?>[2 + trainable.size()];
        x[0] = input.a().asOutput();
        x[1] = input.b().asOutput();
        for (int k = 0; k < trainable.size(); k++) {
          x[2 + k] = trainable.get(k).variable().handle().asOutput();
        }
        Output<?>[] d = g.addGradients(dot(tf, f.output(), up).asOutput(), x);
        Map<String, Operand<?>> fetches = new LinkedHashMap<>();
        fetches.put("dA", d[0]);
        fetches.put("dB", d[1]);
        fetches.put("own.dA", own.input().a());
        fetches.put("own.dB", own.input().b());
        for (int k = 0; k < trainable.size(); k++) {
          String name = trainable.get(k).spec().name();
          fetches.put("d" + name, d[2 + k]);
          fetches.put("own.d" + name, own.parameters().get(name));
        }
        Map<String, double[]> v = fetch(g, fetches);
        int compared = 0;
        for (String k : v.keySet()) {
          if (!k.startsWith("own.")) {
            assertClose(kind + " " + k + " vs own backward", v.get(k), v.get("own." + k), 1e-13);
            assertClose(kind + " " + k + " vs stored", v.get(k), stored.get(k), 1e-10);
            compared++;
          }
        }
        assertTrue(compared >= 3, kind + ": compared " + compared + " gradients");
      }
    }
  }
}
