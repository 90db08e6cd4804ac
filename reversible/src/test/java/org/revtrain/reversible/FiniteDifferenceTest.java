package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.revtrain.reversible.measure.TensorValues;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * Each block kind's reversible vector-Jacobian product (for the input and for every weight) matches
 * central finite differences of L = ⟨u, unit(x)⟩ in float64.
 */
class FiniteDifferenceTest {
  private static final double EPS = 1e-5;
  private static final Shape SHAPE = Shape.of(2, 5, 5, 4);

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.revtrain.reversible.BlockKinds#all")
  void reversibleVjpMatchesCentralFiniteDifferencesInFloat64(String kind, ReversibleBlock block) {
    Random r = new Random(17);
    try (Graph g = new Graph();
        ReversibleUnit<TFloat64> unit =
            ReversibleUnit.builder(block)
                .blocks(3)
                .stepSizes(0.3, 0.2, 0.25)
                .channels(4)
                .seed(3)
                .mode(GradientMode.reversible())
                .build(Ops.create(g), TFloat64.class)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> a = tf.placeholder(TFloat64.class, Placeholder.shape(SHAPE));
      Placeholder<TFloat64> b = tf.placeholder(TFloat64.class, Placeholder.shape(SHAPE));
      State<TFloat64> up =
          new State<>(
              UnitProbe.constant(tf, SHAPE, r, TFloat64.class),
              UnitProbe.constant(tf, SHAPE, r, TFloat64.class));
      Sweep<TFloat64> f = unit.forward(tf, new State<>(a, b), Phase.TRAINING);
      Operand<TFloat64> loss =
          tf.math.add(
              tf.reduceSum(
                  tf.math.mul(up.a(), f.output().a()), tf.constant(new int[] {0, 1, 2, 3})),
              tf.reduceSum(
                  tf.math.mul(up.b(), f.output().b()), tf.constant(new int[] {0, 1, 2, 3})));
      UnitGradients<TFloat64> grads = unit.backward(tf, f, up);
      List<String> names = new ArrayList<>(grads.parameters().keySet());
      List<Placeholder<TFloat64>> deltas = new ArrayList<>();
      List<Op> steps = new ArrayList<>();
      for (String n : names) {
        UnitParameter<TFloat64> p = unit.parameter(n);
        Placeholder<TFloat64> d =
            tf.placeholder(TFloat64.class, Placeholder.shape(p.variable().shape()));
        deltas.add(d);
        steps.add(tf.assignAddVariableOp(p.resource().handle(), d));
      }
      double[] xa = gaussian(r, SHAPE.size());
      double[] xb = gaussian(r, SHAPE.size());
      try (Session s = new Session(g)) {
        s.initialize();
        // analytic gradients at x
        double[] dA;
        double[] dB;
        List<double[]> dP = new ArrayList<>();
        try (TFloat64 ta = tensor(SHAPE, xa);
            TFloat64 tb = tensor(SHAPE, xb)) {
          Session.Runner run =
              s.runner().feed(a, ta).feed(b, tb).fetch(grads.input().a()).fetch(grads.input().b());
          names.forEach(n -> run.fetch(grads.parameters().get(n)));
          try (Result res = run.run()) {
            dA = TensorValues.doubles(res.get(0));
            dB = TensorValues.doubles(res.get(1));
            for (int k = 0; k < names.size(); k++) {
              dP.add(TensorValues.doubles(res.get(2 + k)));
            }
          }
        }
        // input direction
        double[] va = gaussian(r, SHAPE.size());
        double[] vb = gaussian(r, SHAPE.size());
        double fd =
            (lossAt(s, loss, a, b, axpy(xa, EPS, va), axpy(xb, EPS, vb))
                    - lossAt(s, loss, a, b, axpy(xa, -EPS, va), axpy(xb, -EPS, vb)))
                / (2 * EPS);
        assertClose(kind + " input", dot(dA, va) + dot(dB, vb), fd);
        // each weight
        for (int k = 0; k < names.size(); k++) {
          Shape ps = unit.parameter(names.get(k)).variable().shape();
          double[] v = gaussian(r, ps.size());
          step(s, steps.get(k), deltas.get(k), ps, v, EPS);
          double plus = lossAt(s, loss, a, b, xa, xb);
          step(s, steps.get(k), deltas.get(k), ps, v, -2 * EPS);
          double minus = lossAt(s, loss, a, b, xa, xb);
          step(s, steps.get(k), deltas.get(k), ps, v, EPS);
          assertClose(kind + " " + names.get(k), dot(dP.get(k), v), (plus - minus) / (2 * EPS));
        }
      }
    }
  }

  private static void assertClose(String what, double analytic, double fd) {
    double rel = Math.abs(analytic - fd) / Math.max(Math.abs(fd), 1e-8);
    assertTrue(
        rel <= 1e-6,
        what + ": VJP " + analytic + " vs finite difference " + fd + " (rel " + rel + ")");
  }

  private static double lossAt(
      Session s,
      Operand<TFloat64> loss,
      Placeholder<TFloat64> a,
      Placeholder<TFloat64> b,
      double[] xa,
      double[] xb) {
    try (TFloat64 ta = tensor(SHAPE, xa);
        TFloat64 tb = tensor(SHAPE, xb);
        Result res = s.runner().feed(a, ta).feed(b, tb).fetch(loss).run()) {
      return TensorValues.doubles(res.get(0))[0];
    }
  }

  private static void step(
      Session s, Op op, Placeholder<TFloat64> d, Shape shape, double[] v, double scale) {
    double[] delta = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      delta[i] = scale * v[i];
    }
    try (TFloat64 t = tensor(shape, delta)) {
      s.runner().feed(d, t).addTarget(op).run().close();
    }
  }

  private static TFloat64 tensor(Shape shape, double[] v) {
    return TFloat64.tensorOf(shape, DataBuffers.of(v, true, false));
  }

  private static double[] gaussian(Random r, long n) {
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian();
    }
    return v;
  }

  private static double[] axpy(double[] x, double a, double[] y) {
    double[] z = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      z[i] = x[i] + a * y[i];
    }
    return z;
  }

  private static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }
}
