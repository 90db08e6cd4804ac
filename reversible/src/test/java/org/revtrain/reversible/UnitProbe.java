package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.revtrain.reversible.measure.TensorValues;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Builds one unit's training step (forward, backward against a fixed random upstream gradient) in a
 * fresh graph and fetches everything as double arrays: the test-side harness for gradient and
 * inversion checks.
 */
final class UnitProbe {
  static final int BATCH = 2;
  static final int SIZE = 6;

  /** Fetched values of one run, by name: "dA", "dB", "d<param>", "error", "outA", "outB". */
  record Values(Map<String, double[]> values) {
    double[] get(String k) {
      double[] v = values.get(k);
      if (v == null) {
        throw new IllegalArgumentException("no value " + k + " in " + values.keySet());
      }
      return v;
    }
  }

  private UnitProbe() {}

  static Values run(
      ReversibleUnitBuilder builder, int channels, Class<? extends TFloating> dtype, long seed) {
    return run(builder, channels, dtype, seed, null, null);
  }

  /**
   * As {@link #run(ReversibleUnitBuilder, int, Class, long)}, with residual factors {@code keep}
   * (or null for ones) and {@code update} fused into the backward pass when not null;
   * "value.<param>" are then the updated values.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Values run(
      ReversibleUnitBuilder builder,
      int channels,
      Class<? extends TFloating> dtype,
      long seed,
      double[] keep,
      BlockUpdate update) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Class dt = dtype;
      try (ReversibleUnit unit = builder.channels(channels).build(tf, dt)) {
        Random r = new Random(seed);
        Shape shape = Shape.of(BATCH, SIZE, SIZE, channels);
        State input = new State(constant(tf, shape, r, dt), constant(tf, shape, r, dt));
        State up = new State(constant(tf, shape, r, dt), constant(tf, shape, r, dt));
        Operand keepOp = keep == null ? null : tf.dtypes.cast(tf.constant(keep), dt);
        Sweep f = unit.forward(tf, input, Phase.TRAINING, keepOp);
        UnitGradients grads =
            update == null ? unit.backward(tf, f, up) : unit.backward(tf, f, up, update);
        List<Op> stats = unit.updateStatistics(tf, f, 0.9);
        Map<String, Operand<?>> fetch = new LinkedHashMap<>();
        fetch.put("outA", f.output().a());
        fetch.put("outB", f.output().b());
        fetch.put("dA", grads.input().a());
        fetch.put("dB", grads.input().b());
        fetch.put("error", grads.reconstructionError());
        ((Map<String, Operand<?>>) grads.parameters()).forEach((k, v) -> fetch.put("d" + k, v));
        ((Map<String, Operand<?>>) f.batchStatistics())
            .forEach((k, v) -> fetch.put("batch." + k, v));
        try (Session s = new Session(g)) {
          s.initialize();
          Session.Runner runner = s.runner();
          List<String> names = new ArrayList<>(fetch.keySet());
          names.forEach(n -> runner.fetch(fetch.get(n)));
          stats.forEach(runner::addTarget);
          Map<String, double[]> out = new LinkedHashMap<>();
          try (Result res = runner.run()) {
            for (int i = 0; i < names.size(); i++) {
              out.put(names.get(i), TensorValues.doubles(res.get(i)));
            }
          }
          for (Object p : unit.parameters()) {
            UnitParameter up2 = (UnitParameter) p;
            try (Result res = s.runner().fetch(up2.variable().read(tf)).run()) {
              out.put("value." + up2.spec().name(), TensorValues.doubles(res.get(0)));
            }
          }
          return new Values(out);
        }
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Operand constant(Ops tf, Shape shape, Random r, Class dtype) {
    double[] v = new double[(int) shape.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian();
    }
    // unfolded: Grappler would fold what depends on constants only (e.g. the top block's bias
    // gradient) with its own host kernels, whose low-precision sums may round differently
    return ResourceVariable.unfolded(
        tf, tf.dtypes.cast(tf.constant(shape, DataBuffers.of(v, true, false)), dtype));
  }

  /** One run of {@code session} fetching {@code fetches}: each value by its name, as doubles. */
  static Map<String, double[]> fetch(Session session, Map<String, ? extends Operand<?>> fetches) {
    List<String> names = new ArrayList<>(fetches.keySet());
    Session.Runner run = session.runner();
    names.forEach(n -> run.fetch(fetches.get(n)));
    Map<String, double[]> out = new LinkedHashMap<>();
    try (Result res = run.run()) {
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), TensorValues.doubles(res.get(i)));
      }
    }
    return out;
  }

  /** ‖x − y‖ / ‖y‖. */
  static double relativeError(double[] x, double[] y) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      num += (x[i] - y[i]) * (x[i] - y[i]);
      den += y[i] * y[i];
    }
    return Math.sqrt(num / Math.max(den, Double.MIN_NORMAL));
  }
}
