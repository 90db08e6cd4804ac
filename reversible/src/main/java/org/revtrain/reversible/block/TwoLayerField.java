package org.revtrain.reversible.block;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The two-layer field of Chang et al.: F(Y) = K^T σ(K Y + b), with σ = ReLU, K a 3x3 convolution
 * and K^T its adjoint (the transposed convolution with the same kernel). With batch normalisation N
 * it is F(Y) = K^T σ(N(K Y)): N's offset β takes the bias's place (a bias before N would have zero
 * gradient). Parameters {@code K<s>} and {@code b<s>}, or {@code K<s>} and {@code bn<s>.*}.
 */
public final class TwoLayerField implements VectorField {
  private final String suffix;
  private final boolean batchNorm;

  /**
   * The field F.
   *
   * @param suffix appended to the parameters' names, e.g. {@code "1"} for a block's first field
   * @param batchNorm whether N follows K Y
   */
  public TwoLayerField(String suffix, boolean batchNorm) {
    this.suffix = suffix;
    this.batchNorm = batchNorm;
  }

  @Override
  public List<ParameterSpec> parameters(int channels) {
    List<ParameterSpec> ps = new ArrayList<>();
    ps.add(ParameterSpec.kernel("K" + suffix, channels, channels));
    if (batchNorm) {
      ps.addAll(ParameterSpec.batchNorm("bn" + suffix, channels));
    } else {
      ps.add(ParameterSpec.bias("b" + suffix, channels));
    }
    return ps;
  }

  @Override
  public <T extends TFloating> Operand<T> apply(BlockContext<T> ctx, Operand<T> y) {
    Ops tf = ctx.tf();
    Operand<T> k = ctx.parameter("K" + suffix);
    Operand<T> ky = Convolutions.apply(tf, k, y);
    Operand<T> pre =
        batchNorm
            ? ctx.batchNorm(ky, "bn" + suffix)
            : tf.nn.biasAdd(ky, ctx.parameter("b" + suffix));
    return Convolutions.adjoint(tf, k, tf.nn.relu(pre), y);
  }
}
