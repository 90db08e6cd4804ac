package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Midpoint block (Chang et al. 2018) on two time levels (Y_{j−1}, Y_j):
 *
 * <pre>
 *   forward:  Y_{j+1} = Y_{j−1} + 2h F_j(Y_j)
 *   inverse:  Y_{j−1} = Y_{j+1} − 2h F_j(Y_j)
 * </pre>
 *
 * One coupling with carry +1 and g(Y) = 2h F(Y). F is the {@link TwoLayerField} or, for stability
 * (the scheme is only stable for a Jacobian with near-imaginary eigenvalues), the {@link
 * AntisymmetricField}.
 */
public final class MidpointBlock extends CouplingChain {
  private final boolean antisymmetric;

  /**
   * @param antisymmetric use F(Y) = σ((K − K^T) Y + b) instead of K^T σ(K Y + b)
   */
  public MidpointBlock(boolean antisymmetric) {
    super(
        List.of(
            new FieldCoupling(
                +1,
                antisymmetric ? new AntisymmetricField("") : new TwoLayerField("", false),
                MidpointBlock::twoStep)));
    this.antisymmetric = antisymmetric;
  }

  private static <T extends TFloating> Operand<T> twoStep(
      BlockContext<T> ctx, Operand<T> q, Operand<T> f) {
    return ctx.tf().math.mul(ctx.tf().math.mul(ctx.scalar(2.0), ctx.stepSize()), f);
  }

  /** {@return whether the field is σ((K − K^T) Y + b) rather than K^T σ(K Y + b)} */
  public boolean antisymmetric() {
    return antisymmetric;
  }
}
