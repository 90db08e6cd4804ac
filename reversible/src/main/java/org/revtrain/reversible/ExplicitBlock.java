package org.revtrain.reversible;

import org.tensorflow.types.family.TFloating;

/**
 * A block that is a step of an explicit integrator without a (reliable) inverse: forward Euler,
 * RK4, linear multi-step. On two time levels of the features it maps
 *
 * <pre>  (Y_{j−1}, Y_j) ↦ (Y_j, Y_{j+1}),</pre>
 *
 * so one-step schemes (which ignore Y_{j−1}) and two-step schemes share one state; a block for a
 * system in two variables maps channel halves (Y, Z) ↦ (Y', Z') instead. A unit of explicit blocks
 * trains with stored activations only ({@link GradientMode.Stored}): its backward pass is plain
 * autodiff of the unrolled blocks. Its state is carried in the unit's own type.
 */
public non-sealed interface ExplicitBlock extends Block {

  /**
   * Whether the step reads the state's first tensor (Y_{j−1} of a two-step scheme, Y of channel
   * halves). A one-step scheme on time levels does not, and its unit's gradient with respect to
   * that tensor is zero.
   *
   * @return whether the step reads the first tensor
   */
  boolean readsFirstTensor();

  /**
   * One step: (Y_{j−1}, Y_j) ↦ (Y_j, Y_{j+1}), or (Y, Z) ↦ (Y', Z') on channel halves.
   *
   * @param <T> the block's type
   * @param context block j's parameters, step size and residual factor
   * @param state the state before the step
   * @return the state after it
   */
  <T extends TFloating> State<T> forward(BlockContext<T> context, State<T> state);
}
