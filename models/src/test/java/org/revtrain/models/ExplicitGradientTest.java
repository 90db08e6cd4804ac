package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.revtrain.models.block.LinearMultistepBlock;
import org.revtrain.reversible.GradientMode;
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
 * The stored-only kinds' unrolled gradients (Graph.addGradients through LM-ResNet, RK4, Euler and
 * Hamiltonian RK4 blocks, with batch norm, non-uniform steps and stochastic depth on) against
 * central finite differences of the loss in float64: for each trainable variable θ and a random
 * direction v,
 *
 * <pre>  (L(θ + εv) − L(θ − εv)) / 2ε  =  ⟨∂L/∂θ, v⟩  to 1e-6 relative.</pre>
 *
 * The network keeps its width (filters 4, 4, 4): zero-padded channels would put the pre-activation
 * ReLU exactly on its kink at initialisation (BN of a zero channel is β = 0), where a finite
 * difference and a derivative disagree by definition.
 */
class ExplicitGradientTest {
  private static final double EPSILON = 1e-5;

  @ParameterizedTest
  @EnumSource(names = {"LM_RESNET", "RK4", "EULER", "HAMILTONIAN_RK4"})
  void storedGradientsEqualFiniteDifferencesInFloat64(BlockKind kind) {
    ModelSpec spec =
        ModelSpec.builder(kind)
            .blocksPerUnit(2, 2)
            .filters(4, 4, 4)
            .stepSizes(0.3, 0.7, 0.5, 0.2)
            .batchNorm(true)
            .finalSurvival(0.7)
            .build();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (Network<TFloat64> net =
          Network.create(tf, spec, 2, 3, GradientMode.stored(), TFloat64.class, 11)) {
        Random r = new Random(5);
        int batch = 4;
        int size = 6;
        double[] pixels = new double[batch * size * size * 2];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = r.nextGaussian();
        }
        Operand<TFloat64> images =
            tf.constant(Shape.of(batch, size, size, 2), DataBuffers.of(pixels, true, false));
        TrainingStep<TFloat64> step =
            net.trainingStep(
                tf, images, tf.constant(new int[] {0, 1, 2, 1}), tf.constant(new long[] {3, 1}));
        Map<String, Placeholder<TFloat64>> values = new LinkedHashMap<>();
        Map<String, Op> assigns = new LinkedHashMap<>();
        for (NetworkParameter<TFloat64> p : net.parameters().values()) {
          if (p.trainable()) {
            Placeholder<TFloat64> v =
                tf.placeholder(TFloat64.class, Placeholder.shape(p.variable().shape()));
            values.put(p.name(), v);
            assigns.put(p.name(), p.variable().assign(tf, v));
          }
        }
        assertTrue(
            step.gradients().keySet().equals(values.keySet()),
            "a gradient for every trainable variable");
        try (Session s = new Session(g)) {
          s.initialize();
          List<String> names = new ArrayList<>(values.keySet());
          Map<String, double[]> theta = new LinkedHashMap<>();
          Map<String, double[]> grad = new LinkedHashMap<>();
          Session.Runner run = s.runner();
          names.forEach(n -> run.fetch(net.parameters().get(n).variable().read(tf)));
          names.forEach(n -> run.fetch(step.gradients().get(n)));
          try (Result res = run.run()) {
            for (int i = 0; i < names.size(); i++) {
              theta.put(names.get(i), TensorValues.doubles(res.get(i)));
              grad.put(names.get(i), TensorValues.doubles(res.get(names.size() + i)));
            }
          }
          for (String n : names) {
            double[] base = theta.get(n);
            double[] v = new double[base.length];
            double analytic = 0;
            for (int i = 0; i < v.length; i++) {
              v[i] = r.nextGaussian();
              analytic += grad.get(n)[i] * v[i];
            }
            double up = loss(s, step, assigns.get(n), values.get(n), shifted(base, v, EPSILON));
            double down = loss(s, step, assigns.get(n), values.get(n), shifted(base, v, -EPSILON));
            loss(s, step, assigns.get(n), values.get(n), base);
            double numeric = (up - down) / (2 * EPSILON);
            double error = Math.abs(numeric - analytic);
            assertTrue(
                error <= 1e-6 * Math.abs(analytic) + 1e-9,
                kind + " " + n + ": finite difference " + numeric + ", gradient " + analytic);
            if (n.endsWith("." + LinearMultistepBlock.COEFFICIENT)) {
              assertTrue(Math.abs(analytic) > 1e-6, n + " is trained: gradient " + analytic);
            }
          }
        }
      }
    }
  }

  private static double[] shifted(double[] base, double[] v, double eps) {
    double[] out = new double[base.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = base[i] + eps * v[i];
    }
    return out;
  }

  /** Sets one variable, then evaluates the training loss (no statistics update). */
  private static double loss(
      Session s, TrainingStep<TFloat64> step, Op assign, Placeholder<TFloat64> value, double[] x) {
    Shape shape = value.shape();
    try (TFloat64 t = TFloat64.tensorOf(shape, DataBuffers.of(x, true, false))) {
      s.runner().feed(value, t).addTarget(assign).run().close();
    }
    try (Result res = s.runner().fetch(step.loss()).run()) {
      return TensorValues.doubles(res.get(0))[0];
    }
  }
}
