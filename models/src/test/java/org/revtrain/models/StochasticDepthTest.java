package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.measure.TensorValues;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * Stochastic depth for the stored-only ResNet and LM-ResNet blocks, whose residual is κ_l h_l F(Y):
 * at inference κ_l = p_l = 1 − (l/L)(1 − p_L) (survival rescaling), so with h = 1 the inference
 * network equals the one without stochastic depth and step sizes h_l = p_l — checked exactly in
 * float64; in training κ_l ∈ {0, 1} is drawn per step, so different drop seeds give different
 * losses at the same weights.
 */
class StochasticDepthTest {
  private static final int[] BLOCKS = {2, 3};

  private static ModelSpec.Builder base(BlockKind kind) {
    return ModelSpec.builder(kind).blocksPerUnit(BLOCKS).filters(4, 4, 8).batchNorm(true);
  }

  /** p_l for l = 1 … L. */
  private static double[] survival(double pL) {
    int total = Arrays.stream(BLOCKS).sum();
    double[] p = new double[total];
    for (int l = 1; l <= total; l++) {
      p[l - 1] = 1 - ((double) l / total) * (1 - pL);
    }
    return p;
  }

  private static Operand<TFloat64> images(Ops tf) {
    Random r = new Random(2);
    double[] x = new double[3 * 8 * 8 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    return tf.constant(Shape.of(3, 8, 8, 3), DataBuffers.of(x, true, false));
  }

  private static double[] inferenceLogits(ModelSpec spec) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (Network<TFloat64> net =
              Network.create(tf, spec, 3, 5, GradientMode.stored(), TFloat64.class, 9);
          Session s = new Session(g)) {
        Operand<TFloat64> logits = net.logits(tf, images(tf));
        s.initialize();
        try (Result res = s.runner().fetch(logits).run()) {
          return TensorValues.doubles(res.get(0));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"RESNET", "LM_RESNET"})
  void inferenceRescalesEachResidualByItsSurvivalProbability(BlockKind kind) {
    double[] dropped = inferenceLogits(base(kind).stepSize(1.0).finalSurvival(0.5).build());
    double[] scaled = inferenceLogits(base(kind).stepSizes(survival(0.5)).build());
    double[] plain = inferenceLogits(base(kind).stepSize(1.0).build());
    assertArrayEquals(scaled, dropped, 1e-12);
    assertTrue(Math.abs(plain[0] - dropped[0]) > 1e-6, "the rescaling changes the logits");
  }

  @ParameterizedTest
  @EnumSource(names = {"RESNET", "LM_RESNET"})
  void trainingDrawsDependOnTheDropSeed(BlockKind kind) {
    ModelSpec spec = base(kind).finalSurvival(0.3).build();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (Network<TFloat64> net =
              Network.create(tf, spec, 3, 5, GradientMode.stored(), TFloat64.class, 9);
          Session s = new Session(g)) {
        Operand<TFloat64> x = images(tf);
        java.util.Set<Double> losses = new java.util.HashSet<>();
        java.util.List<Operand<TFloat64>> fetches = new java.util.ArrayList<>();
        for (long seed = 0; seed < 6; seed++) {
          fetches.add(
              net.trainingStep(
                      tf, x, tf.constant(new int[] {0, 1, 2}), tf.constant(new long[] {seed, 1}))
                  .loss());
        }
        s.initialize();
        Session.Runner run = s.runner();
        fetches.forEach(run::fetch);
        try (Result res = run.run()) {
          for (int i = 0; i < fetches.size(); i++) {
            losses.add(TensorValues.doubles(res.get(i))[0]);
          }
        }
        assertTrue(losses.size() > 1, "six drop seeds gave one loss: no block was ever dropped");
      }
    }
  }
}
