package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.StateLayout;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * RevNet additive coupling (Gomez et al. 2017) on channel halves (X1, X2):
 *
 * <pre>
 *   forward:  Y1 = X1 + F(X2);   Y2 = X2 + G(Y1)
 *   inverse:  X2 = Y2 − G(Y1);   X1 = Y1 − F(X2)
 * </pre>
 *
 * F and G are {@link ResidualField}s (two 3x3 convolutions each); the step size does not enter.
 * Four convolution layers per block.
 */
public final class AdditiveCouplingBlock extends CouplingChain {
  /** @param batchNorm normalise inside F and G */
  public AdditiveCouplingBlock(boolean batchNorm) {
    super(
        "revnet",
        StateLayout.CHANNEL_HALVES,
        4,
        List.of(
            new FieldCoupling(+1, new ResidualField("F", batchNorm), AdditiveCouplingBlock::plain),
            new FieldCoupling(+1, new ResidualField("G", batchNorm), AdditiveCouplingBlock::plain)));
  }

  private static <T extends TFloating> Operand<T> plain(
      BlockContext<T> ctx, Operand<T> q, Operand<T> f) {
    return f;
  }
}
