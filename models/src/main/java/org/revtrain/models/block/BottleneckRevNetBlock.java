package org.revtrain.models.block;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.Coupling;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.ReversibleBlock;
import org.revtrain.reversible.block.Convolutions;
import org.revtrain.reversible.block.FieldCoupling;
import org.revtrain.reversible.block.VectorField;
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
 * W1 a 1x1 convolution c → b, W2 3x3 b → b, W3 1x1 b → c, with the bottleneck width b = max(1,
 * c/4); G likewise; κ the stochastic-depth factor. Two {@link FieldCoupling#additive} couplings, so
 * the engine's reversible backward applies unchanged.
 */
public final class BottleneckRevNetBlock implements ReversibleBlock {
  private final List<Coupling> couplings;

  /**
   * @param batchNorm normalise before each σ
   */
  public BottleneckRevNetBlock(boolean batchNorm) {
    this.couplings =
        List.of(
            FieldCoupling.additive(new Bottleneck("F", batchNorm)),
            FieldCoupling.additive(new Bottleneck("G", batchNorm)));
  }

  @Override
  public List<Coupling> couplings() {
    return couplings;
  }

  /**
   * Bottleneck width b for halves of {@code channels}.
   *
   * @param channels channels of one half of the state, ≥ 1
   * @return b = max(1, channels / 4), the channels of the inner 3×3 convolution
   */
  public static int width(int channels) {
    return Math.max(1, channels / 4);
  }

  /** The bottleneck function called {@code name}: three pre-activated convolutions. */
  private record Bottleneck(String name, boolean batchNorm) implements VectorField {
    @Override
    public List<ParameterSpec> parameters(int c) {
      int b = width(c);
      List<ParameterSpec> ps = new ArrayList<>();
      int[][] shapes = {{1, c, b}, {3, b, b}, {1, b, c}};
      for (int i = 0; i < 3; i++) {
        int[] s = shapes[i];
        String layer = name + (i + 1);
        if (batchNorm) {
          ps.addAll(ParameterSpec.batchNorm("bn" + layer, s[1]));
        }
        ps.add(ParameterSpec.weight("W" + layer, Shape.of(s[0], s[0], s[1], s[2])));
        if (!batchNorm) {
          ps.add(ParameterSpec.bias("b" + layer, s[2]));
        }
      }
      return ps;
    }

    @Override
    public <T extends TFloating> Operand<T> apply(BlockContext<T> ctx, Operand<T> q) {
      Ops tf = ctx.tf();
      Operand<T> x = q;
      for (int i = 1; i <= 3; i++) {
        String layer = name + i;
        Operand<T> pre = batchNorm ? ctx.batchNorm(x, "bn" + layer) : x;
        Operand<T> w = Convolutions.apply(tf, ctx.parameter("W" + layer), tf.nn.relu(pre));
        x = batchNorm ? w : tf.nn.biasAdd(w, ctx.parameter("b" + layer));
      }
      return x;
    }
  }
}
