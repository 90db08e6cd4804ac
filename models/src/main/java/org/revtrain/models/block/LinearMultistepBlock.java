package org.revtrain.models.block;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.State;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The linear multi-step block of LM-ResNet (Lu et al. 2018), on two time levels (u_{n−1}, u_n):
 *
 * <pre>  u_{n+1} = (1 − k_n) u_n + k_n u_{n−1} + κ_n h_n f_n(u_n)</pre>
 *
 * with f the {@link PreActivationField}, k_n a trainable scalar per block drawn from U[−0.1, 0],
 * κ_n the stochastic-depth factor (which drops f only) and h_n the step size (1 in Lu et al.'s
 * networks). Entering a unit with u_{−1} = u_0 makes its first step forward Euler. Two convolution
 * layers per block. Not invertible: the scheme divides by k_n, which may be 0.
 */
public final class LinearMultistepBlock extends PreActivationStep {
  /** Name of the multi-step coefficient k_n. */
  public static final String COEFFICIENT = "k";

  /** k_n is drawn uniformly from [LOWER, 0]. */
  public static final double LOWER = -0.1;

  /**
   * @param batchNorm normalise inside F
   */
  public LinearMultistepBlock(boolean batchNorm) {
    super(batchNorm);
  }

  @Override
  public List<ParameterSpec> parameters(int channels) {
    List<ParameterSpec> ps = new ArrayList<>(field.parameters(channels));
    ps.add(
        new ParameterSpec(
            COEFFICIENT,
            Shape.scalar(),
            ParameterSpec.Role.SCHEME_COEFFICIENT,
            new ParameterSpec.Init.Uniform(LOWER, 0)));
    return ps;
  }

  @Override
  public boolean readsFirstTensor() {
    return true;
  }

  @Override
  public <T extends TFloating> State<T> forward(BlockContext<T> ctx, State<T> levels) {
    Ops tf = ctx.tf();
    Operand<T> previous = levels.a();
    Operand<T> current = levels.b();
    Operand<T> k = ctx.parameter(COEFFICIENT);
    Operand<T> mix =
        tf.math.add(
            tf.math.mul(tf.math.sub(ctx.scalar(1.0), k), current), tf.math.mul(k, previous));
    Operand<T> f = tf.math.mul(tf.math.mul(ctx.keep(), ctx.stepSize()), field.apply(ctx, current));
    return new State<>(current, tf.math.add(mix, f));
  }
}
