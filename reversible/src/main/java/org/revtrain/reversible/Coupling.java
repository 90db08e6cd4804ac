package org.revtrain.reversible;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * An additive coupling with a swap, the building step of every reversible block:
 *
 * <pre>
 *   forward:  (P, Q) ↦ (Q, R),   R = c·P + g(Q)
 *   inverse:  (Q, R) ↦ (P, Q),   P = c·(R − g(Q))
 * </pre>
 *
 * with carry c = ±1 and an update g that may be any function of Q and the block's parameters
 * (convolutions, batch normalisation through {@link BlockContext#batchNorm}, the step size and the
 * stochastic-depth factor of the {@link BlockContext}). A coupling only defines c and g: the engine
 * forms both directions from them. The inverse evaluates g at Q, the very tensor the forward
 * evaluated it at, so the backward pass takes g's vector-Jacobian product from the inverse's own
 * intermediates: no recomputation.
 */
public interface Coupling {

  /** {@return the carry c: +1 or −1} */
  int carry();

  /**
   * The parameters this coupling's update reads.
   *
   * @param channels the channels of each state tensor
   * @return the parameters, each of the shape for one block
   */
  List<ParameterSpec> parameters(int channels);

  /**
   * The update g(Q), in the block's type T.
   *
   * @param <T> the block's type
   * @param context block j's parameters, step size and residual factor
   * @param q Q [N, H, W, C]
   * @return g(Q), of Q's shape
   */
  <T extends TFloating> Operand<T> update(BlockContext<T> context, Operand<T> q);
}
