package org.revtrain.reversible;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * One block kind of a unit: a step S_{j+1} = Φ_j(S_j) of the two-tensor state, with its own
 * parameters θ_j. A {@link ReversibleBlock} is a chain of {@link Coupling}s, so the engine can
 * invert it and train it in every {@link GradientMode}; an {@link ExplicitBlock} is any step
 * without an inverse and trains in {@link GradientMode.Stored} only.
 */
public sealed interface Block permits ReversibleBlock, ExplicitBlock {

  /**
   * The parameters of one block.
   *
   * @param channels the channels of each of the block's two state tensors
   * @return the block's parameters, each of the shape for one block
   */
  List<ParameterSpec> parameters(int channels);

  /**
   * The initial value of parameter {@code p} stacked over {@code blocks} blocks: {@link
   * ParameterSpec#initialValue} unless a kind overrides it.
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param dtype the element type's class
   * @param p one of {@link #parameters}
   * @param blocks n
   * @param seed the model's seed
   * @param stream distinguishes parameters drawn with the same seed
   * @param scale multiplies the He-normal standard deviation
   * @return the stacked initial value [n, shape...]
   */
  default <T extends TFloating> Operand<T> initialValue(
      Ops tf, Class<T> dtype, ParameterSpec p, int blocks, long seed, long stream, double scale) {
    return p.initialValue(tf, dtype, blocks, seed, stream, scale);
  }
}
