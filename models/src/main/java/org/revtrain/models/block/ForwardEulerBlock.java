package org.revtrain.models.block;

import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.State;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Forward Euler step — the pre-activation ResNet block (He et al. 2016) and DynamicBlocks' RK1:
 *
 * <pre>  Y_{j+1} = Y_j + κ_j h_j F_j(Y_j)</pre>
 *
 * with F the {@link PreActivationField}, h_j any (non-uniform) step size and κ_j the
 * stochastic-depth factor. Two convolution layers per block. Not invertible.
 */
public final class ForwardEulerBlock extends PreActivationStep {
  /**
   * @param batchNorm normalise inside F
   */
  public ForwardEulerBlock(boolean batchNorm) {
    super(batchNorm);
  }

  @Override
  public <T extends TFloating> State<T> forward(BlockContext<T> ctx, State<T> levels) {
    Ops tf = ctx.tf();
    Operand<T> y = levels.b();
    Operand<T> step = tf.math.mul(tf.math.mul(ctx.keep(), ctx.stepSize()), field.apply(ctx, y));
    return new State<>(y, tf.math.add(y, step));
  }
}
