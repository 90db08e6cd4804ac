package org.revtrain.models.block;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.Coupling;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.ReversibleBlock;
import org.revtrain.reversible.StateLayout;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * RevNet additive coupling with bottleneck residual functions (Gomez et al. 2017, RevNet-164), on
 * channel halves (X1, X2) of c channels each:
 *
 * <pre>
 *   forward:  Y1 = X1 + κ F(X2);   Y2 = X2 + κ G(Y1)
 *   inverse:  X2 = Y2 − κ G(Y1);   X1 = Y1 − κ F(X2)
 *
 *   F(X) = W3 σ(N3(W2 σ(N2(W1 σ(N1(X))))))          (pre-activation, batch norm N)
 *   F(X) = W3 σ(W2 σ(W1 σ(X) + b1) + b2) + b3      (without)
 * </pre>
 *
 * W1 a 1x1 convolution c → b, W2 3x3 b → b, W3 1x1 b → c, with the bottleneck width b =
 * max(1, c/4); G likewise; κ the stochastic-depth factor. Six convolution layers per block. Two
 * couplings (P, Q) ↦ (Q, P + κF(Q)), so the engine's reversible backward applies unchanged.
 */
public final class BottleneckRevNetBlock implements ReversibleBlock {
  private final List<Coupling> couplings;

  /** @param batchNorm normalise before each σ */
  public BottleneckRevNetBlock(boolean batchNorm) {
    this.couplings = List.of(new Bottleneck("F", batchNorm), new Bottleneck("G", batchNorm));
  }

  @Override
  public String kind() {
    return "revnet-bottleneck";
  }

  @Override
  public List<Coupling> couplings() {
    return couplings;
  }

  @Override
  public StateLayout layout() {
    return StateLayout.CHANNEL_HALVES;
  }

  @Override
  public int convLayers() {
    return 6;
  }

  /** Bottleneck width b for halves of {@code channels}. */
  public static int width(int channels) {
    return Math.max(1, channels / 4);
  }

  /** One coupling P ↦ P + κ F(Q) with F the bottleneck function called {@code name}. */
  private record Bottleneck(String name, boolean batchNorm) implements Coupling {
    private static final List<Long> UNIT_STRIDES = List.of(1L, 1L, 1L, 1L);

    @Override
    public int carry() {
      return +1;
    }

    @Override
    public List<ParameterSpec> parameters(int c) {
      int b = width(c);
      List<ParameterSpec> ps = new ArrayList<>();
      int[][] shapes = {{1, c, b}, {3, b, b}, {1, b, c}};
      for (int i = 0; i < 3; i++) {
        int[] s = shapes[i];
        String layer = name + (i + 1);
        if (batchNorm) {
          ps.addAll(BlockContext.batchNormParameters("bn" + layer, s[1]));
        }
        ps.add(
            new ParameterSpec(
                "W" + layer, Shape.of(s[0], s[0], s[1], s[2]), ParameterSpec.Init.HE_NORMAL, true));
        if (!batchNorm) {
          ps.add(ParameterSpec.zeros("b" + layer, s[2]));
        }
      }
      return ps;
    }

    @Override
    public <T extends TFloating> Operand<T> update(BlockContext<T> ctx, Operand<T> q) {
      Ops tf = ctx.tf();
      Operand<T> x = q;
      for (int i = 1; i <= 3; i++) {
        String layer = name + i;
        Operand<T> pre = batchNorm ? ctx.batchNorm(x, "bn" + layer) : x;
        Operand<T> w =
            tf.nn.conv2d(tf.nn.relu(pre), ctx.parameter("W" + layer), UNIT_STRIDES, "SAME");
        x = batchNorm ? w : tf.nn.biasAdd(w, ctx.parameter("b" + layer));
      }
      return tf.math.mul(ctx.keep(), x);
    }
  }
}
