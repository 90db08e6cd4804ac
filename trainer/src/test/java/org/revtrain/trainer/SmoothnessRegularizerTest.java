package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.models.BlockKind;
import org.revtrain.models.ModelSpec;
import org.revtrain.reversible.GradientMode;

/** The smoothness regulariser changes the gradients by exactly its analytic derivative. */
class SmoothnessRegularizerTest {
  private static final ImageShape SHAPE = new ImageShape(8, 8, 3, 10);
  private static final int BATCH = 4;
  private static final double[] H = {0.3, 0.2, 0.25, 0.3, 0.1};
  private static final int[] BLOCKS = {3, 2};

  private static ModelSpec model(boolean bn) {
    return ModelSpec.builder(BlockKind.HAMILTONIAN)
        .blocksPerUnit(BLOCKS)
        .filters(4, 4, 8)
        .stepSizes(H)
        .batchNorm(bn)
        .build();
  }

  private static final float[] IMAGES = new float[BATCH * SHAPE.imageSize()];
  private static final int[] LABELS = {1, 7, 3, 3};
  private static final Map<Boolean, Path> pretrained = new HashMap<>();
  @TempDir static Path dir;

  static {
    Random r = new Random(11);
    for (int i = 0; i < IMAGES.length; i++) {
      IMAGES[i] = (float) r.nextGaussian();
    }
  }

  private record Probe(Map<String, double[]> gradients, Map<String, double[]> values) {}

  /** Trains a few steps without regularisers so that biases leave zero, and saves the weights. */
  private static Path pretrained(ModelSpec spec) {
    Path prefix = dir.resolve(spec.batchNorm() + "/variables");
    try (TrainingGraph<?> g =
        TrainingGraph.build(config(spec, 0, 0), SHAPE, Device.CPU.sessionConfig())) {
      g.initialize();
      for (int s = 0; s < 3; s++) {
        g.step(IMAGES, LABELS, 0.2, s, false);
      }
      g.save(prefix);
    }
    return prefix;
  }

  private static TrainingConfig config(ModelSpec spec, double alpha, double decay) {
    return TrainingConfig.builder()
        .model(spec)
        .mode(GradientMode.reversible())
        .precision(Precision.FLOAT64)
        .batch(BATCH)
        .smoothness(alpha)
        .weightDecay(decay)
        .seed(7)
        .build();
  }

  private static Probe probe(ModelSpec spec, double alpha, double decay) {
    Path weights = pretrained.computeIfAbsent(spec.batchNorm(), bn -> pretrained(spec));
    try (TrainingGraph<?> g =
        TrainingGraph.build(config(spec, alpha, decay), SHAPE, Device.CPU.sessionConfig())) {
      g.restore(weights);
      return new Probe(g.gradients(IMAGES, LABELS, 0), g.values());
    }
  }

  /** ∂R/∂θ_k = 2α (D_{k−1}/h_{k−1} − D_k/h_k), computed here from the fetched weights. */
  private static double[] analytic(double[] theta, double[] h, double alpha) {
    int n = h.length;
    int size = theta.length / n;
    double[] g = new double[theta.length];
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < size; i++) {
        double v = 0;
        if (k >= 1) {
          v += (theta[k * size + i] - theta[(k - 1) * size + i]) / h[k - 1];
        }
        if (k <= n - 2) {
          v -= (theta[(k + 1) * size + i] - theta[k * size + i]) / h[k];
        }
        g[k * size + i] = 2 * alpha * v;
      }
    }
    return g;
  }

  private static double[] unitSteps(String name) {
    return name.startsWith("unit0.") ? new double[] {H[0], H[1], H[2]} : new double[] {H[3], H[4]};
  }

  private static void assertRegularizerGradient(boolean bn, Set<String> regularized) {
    double alpha = 0.05;
    ModelSpec spec = model(bn);
    Probe off = probe(spec, 0, 0);
    Probe on = probe(spec, alpha, 0);
    assertEquals(off.gradients().keySet(), on.gradients().keySet());
    int checked = 0;
    for (String name : on.gradients().keySet()) {
      double[] with = on.gradients().get(name);
      double[] without = off.gradients().get(name);
      double[] expected =
          regularized.contains(name)
              ? analytic(on.values().get(name), unitSteps(name), alpha)
              : new double[with.length];
      double largest = 0;
      for (int i = 0; i < with.length; i++) {
        assertEquals(expected[i], with[i] - without[i], 1e-10, name + "[" + i + "]");
        largest = Math.max(largest, Math.abs(expected[i]));
      }
      if (regularized.contains(name)) {
        assertTrue(largest > 1e-3, name + ": the regulariser's gradient should not be negligible");
        checked++;
      }
    }
    assertEquals(regularized.size(), checked, "every regularised parameter was compared");
  }

  @Test
  void smoothnessChangesKernelAndBiasGradientsByItsAnalyticDerivative() {
    assertRegularizerGradient(
        false,
        Set.of(
            "unit0.K1",
            "unit0.b1",
            "unit0.K2",
            "unit0.b2",
            "unit1.K1",
            "unit1.b1",
            "unit1.K2",
            "unit1.b2"));
  }

  @Test
  void smoothnessLeavesBatchNormParametersAlone() {
    assertRegularizerGradient(true, Set.of("unit0.K1", "unit0.K2", "unit1.K1", "unit1.K2"));
  }

  @Test
  void weightDecayAddsLambdaTimesWeightsToKernelsOnly() {
    double lambda = 0.01;
    ModelSpec spec = model(true);
    Probe off = probe(spec, 0, 0);
    Probe on = probe(spec, 0, lambda);
    for (String name : on.gradients().keySet()) {
      boolean weight =
          name.endsWith(".K")
              || name.endsWith(".K1")
              || name.endsWith(".K2")
              || name.equals("head.W");
      double[] theta = on.values().get(name);
      for (int i = 0; i < theta.length; i++) {
        double diff = on.gradients().get(name)[i] - off.gradients().get(name)[i];
        assertEquals(weight ? lambda * theta[i] : 0, diff, 1e-10, name + "[" + i + "]");
      }
    }
  }
}
