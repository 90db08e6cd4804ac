package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.revtrain.reversible.block.LeapfrogBlock;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Misuse throws an IllegalArgumentException that says what is wrong and how to put it right. */
class BadUseTest {

  private static void assertRejected(Executable e, String... words) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    for (String w : words) {
      assertTrue(x.getMessage().contains(w), "message '" + x.getMessage() + "' lacks '" + w + "'");
    }
  }

  @Test
  void nonPositiveStepSizeIsRejected() {
    var b = ReversibleUnit.builder(new LeapfrogBlock());
    assertRejected(() -> b.stepSize(0), "step size", "> 0");
    assertRejected(() -> b.stepSize(-0.5), "-0.5");
    assertRejected(() -> b.stepSizes(0.1, 0.0, 0.2), "h_1");
    assertRejected(() -> b.stepSize(Double.NaN), "NaN");
  }

  @Test
  void aPerBlockUpdateOfReferenceVariablesIsRejected() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (ReversibleUnit<TFloat32> unit =
          ReversibleUnit.builder(new HamiltonianBlock(false))
              .blocks(2)
              .channels(4)
              .referenceVariables()
              .build(tf, TFloat32.class)) {
        var x = tf.zeros(tf.constant(new long[] {1, 4, 4, 4}), TFloat32.class);
        Sweep<TFloat32> f = unit.forward(tf, new State<>(x, x), Phase.TRAINING);
        assertRejected(
            () -> unit.backward(tf, f, f.output(), BlockUpdate.gradientDescent(tf.constant(0.1f))),
            "reference variables",
            "TensorFlow's gradients");
        IllegalStateException refused =
            assertThrows(IllegalStateException.class, () -> unit.parameters().get(0).resource());
        assertTrue(refused.getMessage().contains("has no handle"), refused.getMessage());
      }
    }
  }

  @Test
  void fewerThanOneBlockIsRejected() {
    assertRejected(
        () -> ReversibleUnit.builder(new LeapfrogBlock()).blocks(0), "at least 1 block", "0");
  }

  @Test
  void stepSizeCountMustMatchBlockCount() {
    try (Graph g = new Graph()) {
      var b = ReversibleUnit.builder(new LeapfrogBlock()).blocks(3).channels(4).stepSizes(0.1, 0.2);
      assertRejected(() -> b.build(Ops.create(g), TFloat32.class), "2 step sizes", "3 blocks");
    }
  }

  @Test
  void mismatchedStateShapesAreRejected() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (ReversibleUnit<TFloat32> unit =
          ReversibleUnit.builder(new HamiltonianBlock(false))
              .blocks(2)
              .channels(4)
              .build(tf, TFloat32.class)) {
        var a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 4)));
        var b6 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 6)));
        var b4small = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 4)));
        var a6 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 6)));
        assertRejected(() -> unit.forward(tf, new State<>(a, b6), Phase.TRAINING), "mismatched");
        assertRejected(
            () -> unit.forward(tf, new State<>(a, b4small), Phase.TRAINING), "mismatched");
        assertRejected(
            () -> unit.forward(tf, new State<>(a6, a6), Phase.TRAINING), "6 channels", "4");
      }
    }
  }

  @Test
  void badModesAreRejected() {
    assertRejected(() -> GradientMode.checkpoint(0), "at least 1");
    assertRejected(() -> GradientMode.parse("reversable"), "stored, reversible or checkpoint:K");
    assertRejected(() -> GradientMode.parse("checkpoint:x"), "integer");
  }

  @Test
  void backwardOfAnInferenceSweepIsRejected() {
    for (GradientMode mode : java.util.List.of(GradientMode.reversible(), GradientMode.stored())) {
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        try (ReversibleUnit<TFloat32> unit =
            ReversibleUnit.builder(new HamiltonianBlock(true))
                .blocks(2)
                .channels(4)
                .mode(mode)
                .build(tf, TFloat32.class)) {
          var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 8, 8, 4)));
          Sweep<TFloat32> inference = unit.forward(tf, new State<>(x, x), Phase.INFERENCE);
          State<TFloat32> up = new State<>(x, x);
          assertRejected(() -> unit.backward(tf, inference, up), "INFERENCE", "Phase.TRAINING");
          assertRejected(() -> unit.updateStatistics(tf, inference, 0.9), "INFERENCE");
        }
      }
    }
  }

  @Test
  void backwardOfAnotherUnitsSweepIsRejected() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (ReversibleUnit<TFloat32> first =
              ReversibleUnit.builder(new HamiltonianBlock(false))
                  .name("first")
                  .blocks(2)
                  .channels(4)
                  .build(tf, TFloat32.class);
          ReversibleUnit<TFloat32> second =
              ReversibleUnit.builder(new HamiltonianBlock(false))
                  .name("second")
                  .blocks(2)
                  .channels(4)
                  .build(tf, TFloat32.class)) {
        var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 8, 8, 4)));
        Sweep<TFloat32> sweep = first.forward(tf, new State<>(x, x), Phase.TRAINING);
        State<TFloat32> up = new State<>(x, x);
        assertRejected(() -> second.backward(tf, sweep, up), "second", "sweep of unit first");
      }
    }
  }

  @Test
  void explicitBlocksTrainInStoredModeOnly() {
    ExplicitBlock euler =
        new ExplicitBlock() {
          @Override
          public boolean readsFirstTensor() {
            return false;
          }

          @Override
          public java.util.List<ParameterSpec> parameters(int channels) {
            return java.util.List.of();
          }

          @Override
          public <T extends org.tensorflow.types.family.TFloating> State<T> forward(
              BlockContext<T> ctx, State<T> s) {
            return new State<>(s.b(), ctx.tf().math.add(s.b(), s.b()));
          }
        };
    assertRejected(
        () -> ReversibleUnit.builder(euler).mode(GradientMode.reversible()), "stored mode only");
    try (Graph g = new Graph()) {
      var b =
          ReversibleUnit.builder(euler).channels(4).stateType(org.tensorflow.types.TFloat64.class);
      assertRejected(() -> b.build(Ops.create(g), TFloat32.class), "explicit blocks");
    }
  }
}
