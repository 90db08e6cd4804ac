package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.revtrain.reversible.block.AdditiveCouplingBlock;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Mixed precision: a float32 unit whose fields run in bfloat16 ({@link
 * ReversibleUnitBuilder#fieldType}) and whose state is carried in float64 reconstructs every
 * block's input exactly at 64 blocks, and its REVERSIBLE and CHECKPOINT gradients equal STORED ones
 * of the same bfloat16 unit far below bfloat16's own error against float32 fields; the gradients
 * and the fused update are float32, on the float32 master weights.
 */
class MixedPrecisionTest {
  private static final int BLOCKS = 64;
  private static final double H = 0.5;

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of("hamiltonian", new HamiltonianBlock(false)),
        Arguments.of("hamiltonian+bn", new HamiltonianBlock(true)),
        Arguments.of("revnet", new AdditiveCouplingBlock(false)),
        Arguments.of("revnet+bn", new AdditiveCouplingBlock(true)));
  }

  private static ReversibleUnitBuilder unit(
      ReversibleBlock block, GradientMode mode, Class<? extends TFloating> fields) {
    return ReversibleUnit.builder(block)
        .blocks(BLOCKS)
        .stepSize(H)
        .mode(mode)
        .seed(11)
        .initScale(0.5)
        .fieldType(fields)
        .stateType(TFloat64.class);
  }

  private static UnitProbe.Values run(
      ReversibleBlock block, GradientMode mode, Class<? extends TFloating> fields) {
    return UnitProbe.run(unit(block, mode, fields), 4, TFloat32.class, 5);
  }

  /** The largest relative error of any gradient of {@code x} against {@code y}. */
  private static double gradientError(UnitProbe.Values x, UnitProbe.Values y) {
    double worst = 0;
    for (String k : y.values().keySet()) {
      if (k.startsWith("d")) {
        worst = Math.max(worst, UnitProbe.relativeError(x.get(k), y.get(k)));
      }
    }
    return worst;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void bfloat16FieldsWithAFloat64StateReconstructExactlyAndAgreeWithStored(
      String kind, ReversibleBlock block) {
    UnitProbe.Values stored = run(block, GradientMode.stored(), TBfloat16.class);
    UnitProbe.Values reversible = run(block, GradientMode.reversible(), TBfloat16.class);
    UnitProbe.Values checkpoint = run(block, GradientMode.checkpoint(8), TBfloat16.class);
    UnitProbe.Values float32 = run(block, GradientMode.stored(), TFloat32.class);

    assertEquals(0.0, reversible.get("error")[0], kind + ": reconstruction error");
    double own = gradientError(stored, float32);
    assertTrue(own > 1e-3, kind + ": bfloat16 fields differ from float32 ones by only " + own);
    // the inverse adds nothing; what remains is the order of the fields' own bfloat16 sums
    // (RevNet with batch norm: its float32 fields differ by 4e-7 the same way)
    for (UnitProbe.Values other : List.of(reversible, checkpoint)) {
      double e = gradientError(other, stored);
      assertTrue(
          e <= 0.1 * own,
          kind + ": reconstructing gradients differ from STORED by " + e + ", own error " + own);
    }
  }

  @Test
  void fusedUpdateStepsTheFloat32MasterWeights() {
    ReversibleBlock block = new HamiltonianBlock(true);
    double rate = 0.1;
    BlockUpdate<TFloat32> sgd =
        (parameter, inputs) ->
            (tf, s) ->
                List.of(
                    tf.resourceScatterSub(
                        s.handle(),
                        s.block(),
                        tf.math.mul(tf.constant((float) rate), s.gradient())));
    UnitProbe.Values plain = run(block, GradientMode.reversible(), TBfloat16.class);
    UnitProbe.Values fused =
        UnitProbe.run(
            unit(block, GradientMode.reversible(), TBfloat16.class),
            4,
            TFloat32.class,
            5,
            null,
            sgd);
    for (String p : List.of("K1", "K2", "bn1.gamma", "bn2.beta")) {
      double[] before = plain.get("value." + p);
      double[] gradient = plain.get("d" + p);
      double[] expected = new double[before.length];
      for (int i = 0; i < before.length; i++) {
        expected[i] = (float) (before[i] - (float) ((float) rate * gradient[i]));
      }
      double e = UnitProbe.relativeError(fused.get("value." + p), expected);
      assertTrue(e <= 1e-6, p + ": fused update differs by " + e);
    }
  }

  @Test
  void fieldTypeIsTheUnitsOwnByDefaultAndNeverWider() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ReversibleUnitBuilder b = ReversibleUnit.builder(new HamiltonianBlock(false)).channels(2);
      try (ReversibleUnit<TFloat32> unit = b.build(tf, TFloat32.class)) {
        assertEquals(TFloat32.class, unit.fieldType());
      }
      b.name("mixed").fieldType(TBfloat16.class);
      try (ReversibleUnit<TFloat32> unit = b.build(tf, TFloat32.class)) {
        assertEquals(TBfloat16.class, unit.fieldType());
        assertEquals(TFloat32.class, unit.parameter("K1").variable().type());
      }
      b.name("wide").fieldType(TFloat64.class);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> b.build(tf, TFloat32.class));
      assertTrue(e.getMessage().contains("TBfloat16"), e.getMessage());
    }
  }
}
