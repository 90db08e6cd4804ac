package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Hamiltonian block, Verlet discretisation (Chang et al. 2018), on channel halves (Y, Z):
 *
 * <pre>
 *   forward:  Y_{j+1} = Y_j + h K1^T σ(K1 Z_j + b1)
 *             Z_{j+1} = Z_j − h K2^T σ(K2 Y_{j+1} + b2)
 *   inverse:  Z_j = Z_{j+1} + h K2^T σ(K2 Y_{j+1} + b2)
 *             Y_j = Y_{j+1} − h K1^T σ(K1 Z_j + b1)
 * </pre>
 *
 * σ = ReLU, optionally after batch normalisation. Two couplings with carry +1: g1(Z) = h F1(Z) and
 * g2(Y) = −h F2(Y), F the {@link TwoLayerField}.
 */
public final class HamiltonianBlock extends CouplingChain {
  /**
   * @param batchNorm normalise inside σ
   */
  public HamiltonianBlock(boolean batchNorm) {
    super(
        List.of(
            new FieldCoupling(+1, new TwoLayerField("1", batchNorm), HamiltonianBlock::step),
            new FieldCoupling(+1, new TwoLayerField("2", batchNorm), HamiltonianBlock::negStep)));
  }

  private static <T extends TFloating> Operand<T> step(
      BlockContext<T> ctx, Operand<T> q, Operand<T> f) {
    return ctx.tf().math.mul(ctx.stepSize(), f);
  }

  private static <T extends TFloating> Operand<T> negStep(
      BlockContext<T> ctx, Operand<T> q, Operand<T> f) {
    return ctx.tf().math.neg(ctx.tf().math.mul(ctx.stepSize(), f));
  }
}
