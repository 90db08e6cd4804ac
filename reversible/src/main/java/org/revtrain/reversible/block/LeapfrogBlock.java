package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Leapfrog block (Chang et al. 2018), a discretisation of the second-order ODE Y'' = −F(Y), on two
 * time levels (Y_{j−1}, Y_j):
 *
 * <pre>
 *   forward:  Y_{j+1} = 2 Y_j − Y_{j−1} − h² F_j(Y_j)
 *   inverse:  Y_{j−1} = 2 Y_j − Y_{j+1} − h² F_j(Y_j)
 * </pre>
 *
 * One coupling with carry −1 and g(Y) = 2Y − h² F(Y), F the {@link TwoLayerField}.
 */
public final class LeapfrogBlock extends CouplingChain {
  /** The leapfrog block, without batch normalisation. */
  public LeapfrogBlock() {
    super(List.of(new FieldCoupling(-1, new TwoLayerField("", false), LeapfrogBlock::leap)));
  }

  private static <T extends TFloating> Operand<T> leap(
      BlockContext<T> ctx, Operand<T> q, Operand<T> f) {
    Ops tf = ctx.tf();
    Operand<T> h = ctx.stepSize();
    return tf.math.sub(tf.math.mul(ctx.scalar(2.0), q), tf.math.mul(tf.math.mul(h, h), f));
  }
}
