package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/** The right-hand side F_j(Y) of the ODE that a block discretises. */
public interface VectorField {

  /**
   * Parameters of F for a state of {@code channels} channels.
   *
   * @param channels channels C of the state Y that F maps to a tensor of the same shape, ≥ 1
   * @return the trainable tensors of F, with their shapes and initialisers, in a fixed order
   */
  List<ParameterSpec> parameters(int channels);

  /**
   * F(Y).
   *
   * @param <T> the floating-point type the block computes in
   * @param context the graph, the block's parameters and whether it trains
   * @param y the state Y, shape [N, H, W, C] (NHWC)
   * @return F(Y), the same shape as {@code y}
   */
  <T extends TFloating> Operand<T> apply(BlockContext<T> context, Operand<T> y);
}
