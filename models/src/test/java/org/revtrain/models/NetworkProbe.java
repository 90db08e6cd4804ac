package org.revtrain.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.reversible.GradientMode;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/** Builds a network's training step on fixed random data and fetches loss and gradients. */
final class NetworkProbe {
  private NetworkProbe() {}

  static <T extends TFloating> Map<String, double[]> gradients(
      ModelSpec spec, GradientMode mode, Class<T> dtype, int batch, int size, int channels) {
    return gradients(spec, ModePlan.uniform(mode, spec.units()), dtype, batch, size, channels);
  }

  static <T extends TFloating> Map<String, double[]> gradients(
      ModelSpec spec, ModePlan plan, Class<T> dtype, int batch, int size, int channels) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (Network<T> net = Network.create(tf, spec, channels, 10, plan, dtype, 5)) {
        Random r = new Random(3);
        double[] pixels = new double[batch * size * size * channels];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = r.nextGaussian();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
          labels[i] = r.nextInt(10);
        }
        Operand<T> images =
            tf.dtypes.cast(
                tf.constant(
                    Shape.of(batch, size, size, channels), DataBuffers.of(pixels, true, false)),
                dtype);
        TrainingStep<T> step =
            net.trainingStep(tf, images, tf.constant(labels), tf.constant(new long[] {4, 2}));
        Map<String, Operand<?>> fetch = new LinkedHashMap<>();
        fetch.put("loss", step.loss());
        fetch.put("error", step.reconstructionError());
        step.gradients().forEach((k, v) -> fetch.put("d" + k, v));
        try (Session s = new Session(g)) {
          s.initialize();
          Session.Runner run = s.runner();
          List<String> names = List.copyOf(fetch.keySet());
          names.forEach(n -> run.fetch(fetch.get(n)));
          step.statisticUpdates().forEach(run::addTarget);
          Map<String, double[]> out = new LinkedHashMap<>();
          try (Result res = run.run()) {
            for (int i = 0; i < names.size(); i++) {
              out.put(names.get(i), toDoubles(res.get(i)));
            }
          }
          return out;
        }
      }
    }
  }

  static double[] toDoubles(Tensor t) {
    if (t instanceof TFloat64 d) {
      double[] v = new double[(int) d.size()];
      d.asRawTensor().data().asDoubles().read(v);
      return v;
    }
    float[] v = new float[(int) t.size()];
    ((TFloat32) t).asRawTensor().data().asFloats().read(v);
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

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
