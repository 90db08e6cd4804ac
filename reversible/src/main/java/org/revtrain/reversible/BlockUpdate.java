package org.revtrain.reversible;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * An optimizer step on one block's slice θ_j of a unit's stacked parameters, applied inside the
 * reconstructing backward loop as soon as ∂L/∂θ_j exists (a fused update, as RevLib does). Block
 * j's slice is read by block j only, and the loop visits j = n−1 … 0 once each, so updating it in
 * place there changes nothing the rest of the step reads, and no [n, ...] gradient is ever held:
 * the step's memory is the weights, the optimizer's slots and one block's activations.
 *
 * <p>Pass one to {@link ReversibleUnit#backward(Ops, UnitForward, State, BlockUpdate)}.
 *
 * @param <T> floating element type
 */
public interface BlockUpdate<T extends TFloating> {

  /** Plain gradient descent θ_j ← θ_j − η ∂L/∂θ_j, with η a scalar of the parameters' type. */
  static <T extends TFloating> BlockUpdate<T> gradientDescent(Operand<T> learningRate) {
    return new BlockUpdate<>() {
      @Override
      public List<Operand<?>> inputs(UnitParameter<T> parameter) {
        return List.of(learningRate);
      }

      @Override
      @SuppressWarnings("unchecked")
      public List<Op> apply(Ops tf, Slice<T> slice, List<Operand<?>> inputs) {
        Operand<T> step = tf.math.mul((Operand<T>) inputs.get(0), slice.gradient());
        return List.of(tf.resourceScatterSub(slice.handle(), slice.block(), step));
      }
    };
  }

  /**
   * Tensors from outside the loop that {@link #apply} needs for {@code parameter}, e.g. the
   * handles of its slot variables and the learning rate. They enter the loop unchanged.
   */
  List<Operand<?>> inputs(UnitParameter<T> parameter);

  /**
   * The ops that update block j's slice of one trainable parameter.
   *
   * @param tf ops of the loop body
   * @param slice the slice, its gradient and its neighbours
   * @param inputs {@link #inputs}' tensors for this parameter, as the loop body sees them
   */
  List<Op> apply(Ops tf, Slice<T> slice, List<Operand<?>> inputs);

  /**
   * Block j's view of one stacked parameter θ during the backward loop.
   *
   * @param parameter the stacked parameter
   * @param handle its variable's handle inside the loop (for {@code ResourceSparseApply*} ops at
   *     index j)
   * @param block j
   * @param value θ_j as the step's forward pass read it
   * @param gradient ∂L/∂θ_j
   * @param previous θ_{j−1} (θ_0 itself at j = 0), not yet updated
   * @param next θ_{j+1} as it was before this step's update (θ_{n−1} itself at j = n−1): a
   *     difference with a missing neighbour is zero
   */
  record Slice<T extends TFloating>(
      UnitParameter<T> parameter,
      Operand<?> handle,
      Operand<TInt32> block,
      Operand<T> value,
      Operand<T> gradient,
      Operand<T> previous,
      Operand<T> next) {}
}
