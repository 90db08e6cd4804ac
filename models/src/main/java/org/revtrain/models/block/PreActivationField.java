package org.revtrain.models.block;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * He et al.'s pre-activation basic block as the right-hand side F of the ODE Y' = F(Y):
 *
 * <pre>
 *   F(Y) = K2 σ(N2(K1 σ(N1(Y))))            with batch normalisation N1, N2
 *   F(Y) = K2 σ(K1 σ(Y) + b1) + b2          without
 * </pre>
 *
 * σ = ReLU, K1 and K2 independent 3x3 convolutions from C to C channels (no bias before a
 * normalisation, whose offset β takes its place). Two convolution layers. Parameters {@code bn1.*},
 * {@code K1}, {@code bn2.*}, {@code K2}, or {@code K1}, {@code b1}, {@code K2}, {@code b2}.
 */
public final class PreActivationField {
  private static final List<Long> UNIT_STRIDES = List.of(1L, 1L, 1L, 1L);

  private final boolean batchNorm;

  /**
   * @param batchNorm normalise before each σ
   */
  public PreActivationField(boolean batchNorm) {
    this.batchNorm = batchNorm;
  }

  /**
   * Parameters of F for features of {@code channels} channels.
   *
   * @param channels the features' channels
   * @return the parameters of one block
   */
  public List<ParameterSpec> parameters(int channels) {
    List<ParameterSpec> ps = new ArrayList<>();
    if (batchNorm) {
      ps.addAll(ParameterSpec.batchNorm("bn1", channels));
      ps.add(ParameterSpec.kernel("K1", channels, channels));
      ps.addAll(ParameterSpec.batchNorm("bn2", channels));
      ps.add(ParameterSpec.kernel("K2", channels, channels));
    } else {
      ps.add(ParameterSpec.kernel("K1", channels, channels));
      ps.add(ParameterSpec.bias("b1", channels));
      ps.add(ParameterSpec.kernel("K2", channels, channels));
      ps.add(ParameterSpec.bias("b2", channels));
    }
    return ps;
  }

  /**
   * F(Y).
   *
   * @param <T> the block's type
   * @param ctx block j's parameters
   * @param y Y [N, H, W, C]
   * @return F(Y), of Y's shape
   */
  public <T extends TFloating> Operand<T> apply(BlockContext<T> ctx, Operand<T> y) {
    Ops tf = ctx.tf();
    if (batchNorm) {
      Operand<T> a = tf.nn.relu(ctx.batchNorm(y, "bn1"));
      Operand<T> b = tf.nn.relu(ctx.batchNorm(conv(tf, ctx.parameter("K1"), a), "bn2"));
      return conv(tf, ctx.parameter("K2"), b);
    }
    Operand<T> a = tf.nn.relu(y);
    Operand<T> b = tf.nn.relu(tf.nn.biasAdd(conv(tf, ctx.parameter("K1"), a), ctx.parameter("b1")));
    return tf.nn.biasAdd(conv(tf, ctx.parameter("K2"), b), ctx.parameter("b2"));
  }

  private static <T extends TFloating> Operand<T> conv(Ops tf, Operand<T> k, Operand<T> x) {
    return tf.nn.conv2d(x, k, UNIT_STRIDES, "SAME");
  }
}
