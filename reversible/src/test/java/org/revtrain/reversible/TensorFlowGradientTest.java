package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.revtrain.reversible.block.AdditiveCouplingBlock;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
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
    try (Session s = new Session(g)) {
      s.initialize();
      return UnitProbe.fetch(s, fetches);
    }
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
          x[2 + k] = trainable.get(k).resource().handle().asOutput();
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

  /** Two units with ordinary ops between them, differentiated in one call, by name. */
  private static Map<String, double[]> chain(GradientMode mode, Map<String, Set<Integer>> read) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ReversibleBlock hamiltonian = new HamiltonianBlock(true);
      ReversibleBlock revnet = new AdditiveCouplingBlock(false);
      try (ReversibleUnit<TFloat64> first =
              builder(hamiltonian, mode).name("first").build(tf, TFloat64.class);
          ReversibleUnit<TFloat64> second =
              builder(revnet, mode).name("second").seed(12).build(tf, TFloat64.class)) {
        Random r = new Random(7);
        State<TFloat64> input = random(tf, r);
        Sweep<TFloat64> f1 = first.forward(tf, input, Phase.TRAINING);
        // ordinary ops between the units: a squashing and a mixing of the two tensors
        Operand<TFloat64> a = tf.math.tanh(f1.output().a());
        Operand<TFloat64> b =
            tf.math.add(f1.output().b(), tf.math.mul(tf.constant(0.5), f1.output().a()));
        Sweep<TFloat64> f2 = second.forward(tf, new State<>(a, b), Phase.TRAINING);
        State<TFloat64> up = random(tf, r);
        Operand<TFloat64> loss =
            tf.math.add(
                dot(tf, f2.output(), up),
                tf.reduceSum(tf.math.square(f2.output().a()), tf.constant(new int[] {0, 1, 2, 3})));
        List<String> names = new ArrayList<>(List.of("dA", "dB"));
        List<Output<?>> x = new ArrayList<>(List.of(input.a().asOutput(), input.b().asOutput()));
        for (ReversibleUnit<TFloat64> u : List.of(first, second)) {
          for (UnitParameter<TFloat64> p : u.trainableParameters()) {
            names.add("d" + p.name());
            x.add(p.resource().handle().asOutput());
          }
        }
        Output<?>[] d = g.addGradients(loss.asOutput(), x.toArray(new Output<?>[0]));
        Map<String, Operand<?>> fetches = new LinkedHashMap<>();
        for (int k = 0; k < d.length; k++) {
          fetches.put(names.get(k), d[k]);
        }
        if (read != null) {
          read.put("first", ForwardReads.of(f1, List.of(d)).loopOutputs());
          read.put("second", ForwardReads.of(f2, List.of(d)).loopOutputs());
        }
        return fetch(g, fetches);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reconstructingModes")
  void unitsAndOrdinaryOpsDifferentiateInOneCallAsStored(GradientMode mode) {
    Map<String, double[]> stored = chain(GradientMode.stored(), null);
    Map<String, Set<Integer>> read = new LinkedHashMap<>();
    Map<String, double[]> v = chain(mode, read);
    assertEquals(stored.keySet(), v.keySet());
    for (String k : v.keySet()) {
      assertClose(mode + " " + k + " vs stored", v.get(k), stored.get(k), 1e-10);
    }
    if (mode instanceof GradientMode.Reversible) {
      // nothing the forward loop collected: its output state only
      assertEquals(Map.of("first", Set.of(1, 2), "second", Set.of(1, 2)), read);
    } else {
      read.values().forEach(r -> assertTrue(r.containsAll(Set.of(1, 2)), "read " + r));
    }
  }

  static Stream<GradientMode> reconstructingModes() {
    return Stream.of(GradientMode.reversible(), GradientMode.checkpoint(2));
  }
}
