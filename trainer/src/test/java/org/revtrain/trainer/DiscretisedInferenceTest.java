package org.revtrain.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.models.BlockKind;
import org.revtrain.models.Discretisation;
import org.revtrain.models.ModelSpec;
import org.revtrain.reversible.GradientMode;

/**
 * {@link InferenceModel#open(Checkpoint, Discretisation)}: a trained network evaluated with its ODE
 * integrated another way carries over the trained weights and running statistics exactly; and
 * {@link Trainer.Builder#initialisedFrom}: a new run starts from them.
 */
class DiscretisedInferenceTest {
  @TempDir Path dir;

  private static final int N = 12;

  private static double[] logits(Checkpoint c, Discretisation d) {
    try (InferenceModel<?> m = InferenceModel.open(c, d)) {
      return m.logits(TinyRuns.DATA.test().head(N).pixels(), N);
    }
  }

  private static double distance(double[] a, double[] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - b[i]) * (a[i] - b[i]);
      den += b[i] * b[i];
    }
    return Math.sqrt(num / den);
  }

  /**
   * Forward Euler with the smoothness regulariser on (the default α): explicit units' step sizes
   * reach the regulariser (they once did not, and training any explicit model failed).
   */
  @Test
  void eulerNetworksTrainAndCrossToRk4() throws Exception {
    ModelSpec euler =
        ModelSpec.builder(BlockKind.EULER)
            .name("tiny-euler")
            .blocksPerUnit(2, 2)
            .filters(4, 4, 8)
            .stepSizes(0.1, 0.2, 0.1, 0.05)
            .batchNorm(true)
            .build();
    TrainingConfig config = TinyRuns.config(6).model(euler).mode(GradientMode.stored()).build();
    assertTrue(config.smoothness() > 0, "the default smoothness weight");
    Path run = dir.resolve("euler");
    TinyRuns.train(config, run, null, 0);
    Checkpoint c = Checkpoints.locate(run);

    double[] trained;
    try (InferenceModel<?> m = InferenceModel.open(c)) {
      trained = m.logits(TinyRuns.DATA.test().head(N).pixels(), N);
    }
    // resnet is forward Euler under another name: the weights go through the transfer, the logits
    // stay
    assertArrayEquals(trained, logits(c, Discretisation.solvedWith(BlockKind.RESNET)), 1e-6);
    double[] rk4 = logits(c, Discretisation.solvedWith(BlockKind.RK4));
    double[] fine = logits(c, Discretisation.refined(64));
    double[] rk4Fine = logits(c, new Discretisation(BlockKind.RK4, 64));
    // refining Euler approaches RK4, and both approach one flow
    String f =
        "Euler vs RK4 "
            + distance(trained, rk4)
            + ", Euler h/64 vs RK4 "
            + distance(fine, rk4)
            + ", Euler h/64 vs RK4 h/64 "
            + distance(fine, rk4Fine);
    System.out.println("DiscretisedInferenceTest: " + f);
    assertTrue(distance(trained, rk4) > 0, f);
    assertTrue(distance(fine, rk4) < distance(trained, rk4) / 10, f);
    assertTrue(distance(fine, rk4Fine) < distance(trained, rk4) / 10, f);
  }

  @Test
  void reversibleNetworksRefineAndCrossToHamiltonianRk4() throws Exception {
    Path run = dir.resolve("hamiltonian");
    TinyRuns.train(TinyRuns.config(4).build(), run, null, 0);
    Checkpoint c = Checkpoints.locate(run);
    assertEquals(GradientMode.reversible(), c.state().config().mode());
    // refined, the network stays reversible; RK4 on its Hamiltonian system is explicit: STORED
    for (Discretisation d :
        List.of(Discretisation.refined(3), Discretisation.solvedWith(BlockKind.HAMILTONIAN_RK4))) {
      try (InferenceModel<?> m = InferenceModel.open(c, d)) {
        Evaluation e = m.evaluate(TinyRuns.DATA.test(), 16);
        assertEquals(TinyRuns.DATA.test().size(), e.examples());
        assertTrue(Double.isFinite(e.loss()), d + ": loss " + e.loss());
      }
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> InferenceModel.open(c, Discretisation.solvedWith(BlockKind.RK4)));
    assertTrue(e.getMessage().contains("rk4"), e.getMessage());
  }

  /**
   * A run started from a trained network refined by 2 begins with its weights: after one step at a
   * learning rate of 1e-12 every kernel equals the refined source's (each block's row twice).
   */
  @Test
  void aRefinedRunStartsFromTheTrainedWeights() throws Exception {
    Path source = dir.resolve("source");
    TinyRuns.train(TinyRuns.config(4).build(), source, null, 0);
    Checkpoint c = Checkpoints.locate(source);
    Discretisation twice = Discretisation.refined(2);
    Map<String, double[]> refined;
    try (InferenceModel<?> m = InferenceModel.open(c, twice)) {
      refined = m.parameterValues();
    }
    ModelSpec grown = twice.apply(TinyRuns.model()).withName("tiny-refined2");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Trainer.builder(TinyRuns.config(1).build(), dir.resolve("wrong"))
                .initialisedFrom(c, twice)
                .build(),
        "the configuration's model must be the refined one");

    Path run = dir.resolve("grown");
    Trainer.builder(TinyRuns.config(1).model(grown).learningRate(1e-12).build(), run)
        .data(TinyRuns.DATA)
        .initialisedFrom(c, twice)
        .build()
        .run();
    Map<String, double[]> started;
    try (InferenceModel<?> m = InferenceModel.open(Checkpoints.locate(run))) {
      started = m.parameterValues();
    }
    int kernels = 0;
    for (Map.Entry<String, double[]> e : refined.entrySet()) {
      if (e.getKey().contains(".K")) {
        assertArrayEquals(e.getValue(), started.get(e.getKey()), 1e-9, e.getKey());
        kernels++;
      }
    }
    assertTrue(kernels >= 3, "stem and two units' kernels compared: " + refined.keySet());
    assertTrue(
        Files.readString(run.resolve(Trainer.INITIALISED_FROM_FILE)).contains("\"refinement\": 2"));
  }
}
