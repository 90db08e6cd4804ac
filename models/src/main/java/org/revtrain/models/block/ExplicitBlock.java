package org.revtrain.models.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.State;
import org.revtrain.reversible.StateLayout;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A residual block that is a step of an explicit integrator but has no (reliable) inverse: forward
 * Euler, RK4, linear multi-step. Most act on two time levels of the features,
 *
 * <pre>  (Y_{j−1}, Y_j) ↦ (Y_j, Y_{j+1}),</pre>
 *
 * so that one-step schemes (which ignore Y_{j−1}) and two-step schemes share the network's state
 * layout ({@link org.revtrain.reversible.StateLayout#TIME_LEVELS}, entered with Y_{−1} = Y_0); a
 * block for a system in two variables acts on channel halves (Y, Z) ↦ (Y', Z') instead ({@link
 * #layout}). Such blocks are trained with stored activations only: the backward pass is plain
 * autodiff of the unrolled blocks.
 */
public interface ExplicitBlock {

  /** Convolution layers per block, for the layer-count convention depth = layers·blocks + 2. */
  int convLayers();

  /** All parameters of one block whose features have {@code channels} channels. */
  List<ParameterSpec> parameters(int channels);

  /**
   * The initial value of parameter {@code p} stacked over {@code blocks} blocks; by default {@link
   * ParameterSpec#initialValue} (He-normal, zeros or ones). A block overrides it for parameters
   * with other distributions.
   */
  default <T extends TFloating> Operand<T> initialValue(
      Ops tf, Class<T> dtype, ParameterSpec p, int blocks, long seed, long stream) {
    return p.initialValue(tf, dtype, blocks, seed, stream, 1.0);
  }

  /** How the block's two state tensors relate to the features; time levels unless overridden. */
  default StateLayout layout() {
    return StateLayout.TIME_LEVELS;
  }

  /**
   * Whether the step reads the state's first tensor: Y_{j−1} in two-step schemes, Y of channel
   * halves (Y, Z). One-step schemes on time levels ignore it, so a unit's gradient with respect to
   * its entry's Y_{−1} is zero.
   */
  default boolean readsFirstTensor() {
    return layout() == StateLayout.CHANNEL_HALVES;
  }

  /** One step: (Y_{j−1}, Y_j) ↦ (Y_j, Y_{j+1}), or (Y, Z) ↦ (Y', Z') on channel halves. */
  <T extends TFloating> State<T> forward(BlockContext<T> context, State<T> levels);
}
