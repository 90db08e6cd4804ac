package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.revtrain.reversible.measure.TensorValues;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * A {@link BlockUpdate} fused into the backward loop sees each block's true gradient, its value and
 * its neighbours' values from before the step, and updates exactly that block's slice: the result
 * equals the same update applied afterwards to the stacked gradients of the plain backward.
 */
class FusedUpdateTest {
  private static final int CHANNELS = 4;
  private static final int BLOCKS = 7;
  private static final double RATE = 0.1;
  private static final double COUPLING = 0.3;

  /**
   * θ_j ← θ_j − η (g_j + c (3θ_j − θ_{j−1} − 2θ_{j+1})): uses every field of the slice, and tells
   * the two neighbours apart.
   */
  private static final class NeighbourSgd implements BlockUpdate<TFloat64> {
    @Override
    public SliceStep<TFloat64> bind(UnitParameter<TFloat64> parameter, Inputs inputs) {
      return (tf, s) -> {
        Operand<TFloat64> curvature =
            tf.math.sub(
                tf.math.mul(tf.constant(3.0), s.value()),
                tf.math.add(s.previous(), tf.math.mul(tf.constant(2.0), s.next())));
        Operand<TFloat64> step =
            tf.math.mul(
                tf.constant(RATE),
                tf.math.add(s.gradient(), tf.math.mul(tf.constant(COUPLING), curvature)));
        return List.of(tf.resourceScatterSub(s.handle(), s.block(), step));
      };
    }
  }

  private static ReversibleUnitBuilder unit(ReversibleBlock block, GradientMode mode) {
    return ReversibleUnit.builder(block)
        .blocks(BLOCKS)
        .stepSize(0.1)
        .mode(mode)
        .seed(3)
        .initScale(0.5);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.revtrain.reversible.BlockKinds#all")
  void fusedUpdateEqualsTheUpdateOfTheStackedGradients(String kind, ReversibleBlock block) {
    for (GradientMode mode : List.of(GradientMode.reversible(), GradientMode.checkpoint(3))) {
      UnitProbe.Values plain = UnitProbe.run(unit(block, mode), CHANNELS, TFloat64.class, 5);
      UnitProbe.Values fused =
          UnitProbe.run(unit(block, mode), CHANNELS, TFloat64.class, 5, null, new NeighbourSgd());
      int checked = 0;
      for (String key : plain.values().keySet()) {
        if (!key.startsWith("d") || key.equals("dA") || key.equals("dB")) {
          continue;
        }
        String name = key.substring(1);
        double[] theta = plain.get("value." + name);
        double[] g = plain.get(key);
        int per = theta.length / BLOCKS;
        double[] expected = new double[theta.length];
        for (int j = 0; j < BLOCKS; j++) {
          int below = Math.max(j - 1, 0) * per;
          int above = Math.min(j + 1, BLOCKS - 1) * per;
          for (int i = 0; i < per; i++) {
            int at = j * per + i;
            double curvature = 3 * theta[at] - theta[below + i] - 2 * theta[above + i];
            expected[at] = theta[at] - RATE * (g[at] + COUPLING * curvature);
          }
        }
        double e = UnitProbe.relativeError(fused.get("value." + name), expected);
        assertTrue(
            e <= 1e-12, kind + " " + mode + ": " + name + " after the fused update, error " + e);
        checked++;
      }
      assertTrue(checked > 0, kind + ": no trainable parameter was checked");
      for (String d : List.of("dA", "dB")) {
        double e = UnitProbe.relativeError(fused.get(d), plain.get(d));
        assertTrue(
            e <= 1e-12,
            kind + " " + mode + ": input gradient " + d + " changed by the fused update: " + e);
      }
    }
  }

  @Test
  void aStoredUnitRefusesAFusedUpdateAndSaysWhatToDo() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (ReversibleUnit<TFloat64> unit =
          ReversibleUnit.builder(new HamiltonianBlock(false))
              .blocks(2)
              .channels(2)
              .mode(GradientMode.stored())
              .name("u")
              .build(tf, TFloat64.class)) {
        Operand<TFloat64> x = tf.zeros(tf.constant(new int[] {1, 3, 3, 2}), TFloat64.class);
        State<TFloat64> in = new State<>(x, tf.identity(x));
        Sweep<TFloat64> f = unit.forward(tf, in, Phase.TRAINING);
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class, () -> unit.backward(tf, f, in, new NeighbourSgd()));
        assertTrue(e.getMessage().contains("unit u is STORED"), e.getMessage());
      }
    }
  }

  @Test
  void runningDoneAppliesTheFusedUpdatesAndFetchingOnlyTheLossDoesNot() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (ReversibleUnit<TFloat64> unit =
          unit(new HamiltonianBlock(false), GradientMode.reversible())
              .channels(2)
              .build(tf, TFloat64.class)) {
        Random r = new Random(9);
        Shape shape = Shape.of(2, 5, 5, 2);
        State<TFloat64> in =
            new State<>(
                UnitProbe.constant(tf, shape, r, TFloat64.class),
                UnitProbe.constant(tf, shape, r, TFloat64.class));
        Sweep<TFloat64> f = unit.forward(tf, in, Phase.TRAINING);
        Operand<TFloat64> loss = tf.reduceSum(f.output().a(), tf.constant(new int[] {0, 1, 2, 3}));
        State<TFloat64> up = new State<>(tf.onesLike(f.output().a()), tf.zerosLike(f.output().b()));
        UnitGradients<TFloat64> grads =
            unit.backward(tf, f, up, BlockUpdate.gradientDescent(tf.constant(RATE)));
        Operand<TFloat64> k1 = unit.parameter("K1").variable().read(tf);
        try (Session session = new Session(g)) {
          session.initialize();
          double[] before = values(session, k1);
          session.runner().fetch(loss).run().close();
          assertArrayEquals(before, values(session, k1), 0.0, "fetching the loss updated K1");
          session.runner().addTarget(grads.done()).run().close();
          double[] after = values(session, k1);
          double moved = 0;
          for (int i = 0; i < before.length; i++) {
            moved = Math.max(moved, Math.abs(after[i] - before[i]));
          }
          assertTrue(
              moved > 1e-6, "running done() left K1 unchanged (largest change " + moved + ")");
        }
      }
    }
  }

  private static double[] values(Session session, Operand<TFloat64> value) {
    try (Result result = session.runner().fetch(value).run()) {
      return TensorValues.doubles(result.get(0));
    }
  }
}
