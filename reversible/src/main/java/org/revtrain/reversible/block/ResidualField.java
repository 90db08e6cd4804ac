package org.revtrain.reversible.block;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * RevNet's residual function F(X) = W2 σ(W1 X + c1) + c2 with two independent 3x3 convolutions, or
 * F(X) = W2 σ(N(W1 X)) + c2 with batch normalisation N (whose offset replaces c1). Parameters
 * {@code W<s>a}, {@code c<s>a} or {@code bn<s>.*}, {@code W<s>b}, {@code c<s>b}.
 */
public final class ResidualField implements VectorField {
  private final String suffix;
  private final boolean batchNorm;

  /**
   * The field F.
   *
   * @param suffix appended to the parameters' names, e.g. {@code "1"} for a block's first field
   * @param batchNorm whether N follows the first convolution
   */
  public ResidualField(String suffix, boolean batchNorm) {
    this.suffix = suffix;
    this.batchNorm = batchNorm;
  }

  @Override
  public List<ParameterSpec> parameters(int channels) {
    List<ParameterSpec> ps = new ArrayList<>();
    ps.add(ParameterSpec.kernel("W" + suffix + "a", channels, channels));
    if (batchNorm) {
      ps.addAll(ParameterSpec.batchNorm("bn" + suffix, channels));
    } else {
      ps.add(ParameterSpec.bias("c" + suffix + "a", channels));
    }
    ps.add(ParameterSpec.kernel("W" + suffix + "b", channels, channels));
    ps.add(ParameterSpec.bias("c" + suffix + "b", channels));
    return ps;
  }

  @Override
  public <T extends TFloating> Operand<T> apply(BlockContext<T> ctx, Operand<T> x) {
    Ops tf = ctx.tf();
    Operand<T> wx = Convolutions.apply(tf, ctx.parameter("W" + suffix + "a"), x);
    Operand<T> pre =
        batchNorm
            ? ctx.batchNorm(wx, "bn" + suffix)
            : tf.nn.biasAdd(wx, ctx.parameter("c" + suffix + "a"));
    return tf.nn.biasAdd(
        Convolutions.apply(tf, ctx.parameter("W" + suffix + "b"), tf.nn.relu(pre)),
        ctx.parameter("c" + suffix + "b"));
  }
}
