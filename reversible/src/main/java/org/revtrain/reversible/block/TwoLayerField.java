package org.revtrain.reversible.block;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The two-layer field of Chang et al.: F(Y) = K^T σ(N(K Y + b)), with σ = ReLU, K a 3x3
 * convolution, K^T its adjoint (the transposed convolution with the same kernel) and N an
 * optional batch normalisation. Parameters {@code K<s>}, {@code b<s>} (and {@code bn<s>.*}).
 */
public final class TwoLayerField implements VectorField {
  private final String suffix;
  private final boolean batchNorm;

  public TwoLayerField(String suffix, boolean batchNorm) {
    this.suffix = suffix;
    this.batchNorm = batchNorm;
  }

  @Override
  public List<ParameterSpec> parameters(int channels) {
    List<ParameterSpec> ps = new ArrayList<>();
    ps.add(ParameterSpec.kernel("K" + suffix, channels, channels));
    ps.add(ParameterSpec.zeros("b" + suffix, channels));
    if (batchNorm) {
      ps.addAll(BlockContext.batchNormParameters("bn" + suffix, channels));
    }
    return ps;
  }

  @Override
  public <T extends TFloating> Operand<T> apply(BlockContext<T> ctx, Operand<T> y) {
    Ops tf = ctx.tf();
    Operand<T> k = ctx.parameter("K" + suffix);
    Operand<T> pre = tf.nn.biasAdd(Convolutions.apply(tf, k, y), ctx.parameter("b" + suffix));
    if (batchNorm) {
      pre = ctx.batchNorm(pre, "bn" + suffix);
    }
    return Convolutions.adjoint(tf, k, tf.nn.relu(pre), y);
  }
}
