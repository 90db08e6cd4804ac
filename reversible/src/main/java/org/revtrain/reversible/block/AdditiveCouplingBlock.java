package org.revtrain.reversible.block;

import java.util.List;

/**
 * RevNet additive coupling (Gomez et al. 2017) on channel halves (X1, X2):
 *
 * <pre>
 *   forward:  Y1 = X1 + F(X2);   Y2 = X2 + G(Y1)
 *   inverse:  X2 = Y2 − G(Y1);   X1 = Y1 − F(X2)
 * </pre>
 *
 * F and G are {@link ResidualField}s (two 3x3 convolutions each); the step size does not enter.
 */
public final class AdditiveCouplingBlock extends CouplingChain {
  /**
   * @param batchNorm normalise inside F and G
   */
  public AdditiveCouplingBlock(boolean batchNorm) {
    super(
        List.of(
            FieldCoupling.additive(new ResidualField("F", batchNorm)),
            FieldCoupling.additive(new ResidualField("G", batchNorm))));
  }
}
