package org.revtrain.models.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.State;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Classical fourth-order Runge–Kutta step (DynamicBlocks' RK4 block):
 *
 * <pre>
 *   k1 = F_j(Y_j)                 k2 = F_j(Y_j + h/2 k1)
 *   k3 = F_j(Y_j + h/2 k2)        k4 = F_j(Y_j + h k3)
 *   Y_{j+1} = Y_j + κ_j (h/6)(k1 + 2 k2 + 2 k3 + k4)
 * </pre>
 *
 * with F the {@link PreActivationField} (one set of weights for all four stages), h = h_j and κ_j
 * the stochastic-depth factor. Batch normalisation uses each stage's batch moments in training; the
 * running statistics follow their mean over the stages (see {@link BlockContext}). Eight
 * convolution layers per block (2 per stage, counted as applied, as Chang et al. count K and K^T).
 * Not invertible.
 */
public final class RungeKutta4Block extends PreActivationStep {
  /**
   * @param batchNorm normalise inside F
   */
  public RungeKutta4Block(boolean batchNorm) {
    super(batchNorm);
  }

  @Override
  public <T extends TFloating> State<T> forward(BlockContext<T> ctx, State<T> levels) {
    Operand<T> y = levels.b();
    Operand<T> next =
        RungeKutta4.step(ctx, List.of(y), x -> List.of(field.apply(ctx, x.get(0)))).get(0);
    return new State<>(y, next);
  }
}
