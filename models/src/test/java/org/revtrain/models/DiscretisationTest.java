package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.measure.TensorValues;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * {@link Discretisation}: the specs it builds, the weights it maps, and that the networks it builds
 * integrate the trained network's ODE: refining converges at the solver's order, and forward Euler
 * and RK4 on the same weights converge to the same flow.
 */
class DiscretisationTest {
  private static final int BATCH = 4;
  private static final int SIZE = 8;

  private static ModelSpec small(BlockKind kind, double h) {
    return ModelSpec.builder(kind)
        .name(kind.id() + "-small")
        .blocksPerUnit(2, 2)
        .filters(8, 8, 16)
        .stepSizes(h, h / 2, h, 2 * h)
        .batchNorm(true)
        .build();
  }

  @Test
  void refiningSplitsEveryStepAndKeepsTheRest() {
    ModelSpec trained = small(BlockKind.EULER, 0.2).toBuilder().finalSurvival(0.5).build();
    ModelSpec fine = Discretisation.refined(3).apply(trained);
    assertEquals(BlockKind.EULER, fine.kind());
    assertArrayEquals(new int[] {6, 6}, fine.blocksPerUnit());
    assertArrayEquals(trained.filters(), fine.filters());
    assertEquals(0.5, fine.finalSurvival());
    assertTrue(fine.batchNorm());
    double[] h = fine.stepSizes(0);
    assertArrayEquals(
        new double[] {0.2 / 3, 0.2 / 3, 0.2 / 3, 0.1 / 3, 0.1 / 3, 0.1 / 3}, h, 1e-15);
    assertEquals(0.4 / 3, fine.stepSizes(1)[5], 1e-15);
    assertEquals("euler-small [euler, h/3]", fine.name());
    assertEquals(
        "euler-small [rk4]", Discretisation.solvedWith(BlockKind.RK4).apply(trained).name());
    assertTrue(Discretisation.AS_TRAINED.leaves(trained));
    assertTrue(Discretisation.solvedWith(BlockKind.EULER).leaves(trained));
    assertFalse(Discretisation.refined(2).leaves(trained));
  }

  @Test
  void onlySolversOfTheSameOdeCross() {
    assertTrue(BlockKind.EULER.solvesSameOdeAs(BlockKind.RK4));
    assertTrue(BlockKind.RESNET.solvesSameOdeAs(BlockKind.RK4));
    assertTrue(BlockKind.HAMILTONIAN.solvesSameOdeAs(BlockKind.HAMILTONIAN_RK4));
    assertTrue(BlockKind.RESNET.sameStepAs(BlockKind.EULER));
    assertFalse(BlockKind.EULER.sameStepAs(BlockKind.RK4));
    assertFalse(BlockKind.MIDPOINT.solvesSameOdeAs(BlockKind.LEAPFROG));
    assertFalse(BlockKind.MIDPOINT.solvesSameOdeAs(BlockKind.MIDPOINT_ANTISYMMETRIC));
    assertFalse(BlockKind.REVNET.solvesSameOdeAs(BlockKind.REVNET));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Discretisation.solvedWith(BlockKind.RK4).apply(Models.byName("hamiltonian-38")));
    assertTrue(
        e.getMessage().contains("hamiltonian-38") && e.getMessage().contains("rk4"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Discretisation.refined(2).apply(Models.byName("revnet-38")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Discretisation.refined(2).apply(Models.byName("lm-resnet-20")));
    assertThrows(IllegalArgumentException.class, () -> Discretisation.refined(0));
    // kinds that cross share their parameters, so the trained weights fit the other solver
    for (BlockKind a : BlockKind.values()) {
      for (BlockKind b : BlockKind.values()) {
        if (a.solvesSameOdeAs(b)) {
          assertEquals(a.parameters(false, 16), b.parameters(false, 16), a + " vs " + b);
          assertEquals(a.supportsBatchNorm(), b.supportsBatchNorm());
          if (a.supportsBatchNorm()) {
            assertEquals(a.parameters(true, 16), b.parameters(true, 16), a + " vs " + b);
          }
          assertEquals(a.layout(), b.layout());
        }
      }
    }
  }

  @Test
  void stackedParametersRepeatEachBlocksRow() {
    double[] rows = {1, 2, 3, 4}; // 2 blocks of 2 values, refined to 4 blocks
    assertArrayEquals(
        new double[] {1, 2, 1, 2, 3, 4, 3, 4},
        Discretisation.refined(2).values("unit0.K", 4, rows));
    assertArrayEquals(rows, Discretisation.refined(2).values("head.W", 0, rows));
    assertThrows(
        IllegalArgumentException.class, () -> Discretisation.refined(3).values("unit0.K", 4, rows));
  }

  /** ‖a − b‖ / ‖b‖. */
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
   * The inference logits of {@code trained}'s network (float64, seeded random weights) integrated
   * by each discretisation, with the trained weights mapped by {@link Discretisation#values}.
   */
  private static double[][] logits(ModelSpec trained, Discretisation... ds) {
    Map<String, double[]> weights;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (Network<TFloat64> net =
              Network.create(tf, trained, 3, 10, GradientMode.stored(), TFloat64.class, 11);
          Session s = new Session(g)) {
        s.initialize();
        weights = ParameterValues.read(tf, s, net);
      }
    }
    double[][] out = new double[ds.length][];
    for (int i = 0; i < ds.length; i++) {
      Discretisation d = ds[i];
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        try (Network<TFloat64> net =
                Network.create(
                    tf, d.apply(trained), 3, 10, GradientMode.stored(), TFloat64.class, 99);
            Session s = new Session(g)) {
          Random r = new Random(5);
          double[] pixels = new double[BATCH * SIZE * SIZE * 3];
          for (int k = 0; k < pixels.length; k++) {
            pixels[k] = r.nextGaussian();
          }
          var logits =
              net.logits(
                  tf,
                  tf.constant(Shape.of(BATCH, SIZE, SIZE, 3), DataBuffers.of(pixels, true, false)));
          s.initialize();
          Map<String, double[]> mapped = new java.util.LinkedHashMap<>();
          net.parameters().forEach((name, p) -> mapped.put(name, d.values(p, weights.get(name))));
          ParameterValues.write(tf, s, net, mapped);
          try (Result res = s.runner().fetch(logits).run()) {
            out[i] = TensorValues.doubles(res.get(0));
          }
        }
      }
    }
    return out;
  }

  /**
   * The observed order of convergence: log2 of the ratio of successive differences between
   * refinements m, 2m, 4m, 8m.
   */
  private static double[] orders(double[][] l) {
    double[] p = new double[l.length - 2];
    for (int i = 0; i + 2 < l.length; i++) {
      p[i] = Math.log(distance(l[i], l[i + 1]) / distance(l[i + 1], l[i + 2])) / Math.log(2);
    }
    return p;
  }

  private static void assertOrder(double expected, double tolerance, double[] p, String what) {
    double last = p[p.length - 1];
    System.out.println(
        "DiscretisationTest " + what + ": observed orders " + java.util.Arrays.toString(p));
    assertTrue(
        Math.abs(last - expected) <= tolerance,
        what
            + ": observed orders "
            + java.util.Arrays.toString(p)
            + ", expected about "
            + expected);
  }

  @Test
  void refinedForwardEulerConvergesAtFirstOrder() {
    double[][] l =
        logits(
            small(BlockKind.EULER, 0.5),
            Discretisation.refined(2),
            Discretisation.refined(4),
            Discretisation.refined(8),
            Discretisation.refined(16));
    assertOrder(1, 0.2, orders(l), "forward Euler");
  }

  /**
   * Chang et al.'s Verlet step is second order when Z lives half a step behind Y; the network
   * starts both from the stem's output and reads both at the end, so as a map of (Y, Z) at one time
   * it is symplectic Euler, and refining converges at first order.
   */
  @Test
  void refinedHamiltonianConvergesAtFirstOrder() {
    double[][] l =
        logits(
            small(BlockKind.HAMILTONIAN, 0.5),
            Discretisation.refined(2),
            Discretisation.refined(4),
            Discretisation.refined(8),
            Discretisation.refined(16),
            Discretisation.refined(32));
    assertOrder(1, 0.2, orders(l), "Hamiltonian (Verlet)");
  }

  /** The Verlet step and RK4 on the Hamiltonian system, both refined, approach one flow. */
  @Test
  void verletAndRk4OnTheSameWeightsConvergeToOneFlow() {
    double[][] l =
        logits(
            small(BlockKind.HAMILTONIAN, 0.5),
            Discretisation.refined(2),
            new Discretisation(BlockKind.HAMILTONIAN_RK4, 2),
            Discretisation.refined(8),
            new Discretisation(BlockKind.HAMILTONIAN_RK4, 8),
            Discretisation.refined(32),
            new Discretisation(BlockKind.HAMILTONIAN_RK4, 32));
    double coarse = distance(l[0], l[1]);
    double finer = distance(l[2], l[3]);
    double finest = distance(l[4], l[5]);
    String f =
        "Verlet vs Hamiltonian RK4 at m = 2, 8, 32: " + coarse + ", " + finer + ", " + finest;
    System.out.println("DiscretisationTest " + f);
    // the Verlet step's first-order error dominates: a factor tending to 4 per refinement by 4
    assertTrue(coarse / finer > 2.5 && finer / finest > 3, f);
  }

  @Test
  void eulerAndRk4OnTheSameWeightsConvergeToOneFlow() {
    ModelSpec trained = small(BlockKind.EULER, 0.5);
    double[][] l =
        logits(
            trained,
            Discretisation.refined(2),
            new Discretisation(BlockKind.RK4, 2),
            Discretisation.refined(8),
            new Discretisation(BlockKind.RK4, 8),
            Discretisation.refined(32),
            new Discretisation(BlockKind.RK4, 32),
            new Discretisation(BlockKind.RK4, 4));
    double coarse = distance(l[0], l[1]);
    double finer = distance(l[2], l[3]);
    double finest = distance(l[4], l[5]);
    // Euler's error dominates: a factor 4 per refinement by 4
    String f = "Euler vs RK4 at m = 2, 8, 32: " + coarse + ", " + finer + ", " + finest;
    System.out.println("DiscretisationTest " + f + "; RK4 m = 2 vs 4: " + distance(l[1], l[6]));
    assertTrue(coarse / finer > 3 && finer / finest > 3, f);
    // RK4 itself has converged far beyond Euler: RK4 at m = 2 and m = 4 agree much more closely
    assertTrue(distance(l[1], l[6]) < finest, f + "; RK4 m = 2 vs 4: " + distance(l[1], l[6]));
  }
}
