package org.revtrain.reversible;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * An optimizer step on one block's slice θ_j of a unit's stacked parameters, applied inside the
 * reconstructing backward loop as soon as ∂L/∂θ_j exists (a fused update, as RevLib does). Block
 * j's slice is read by block j only, and the loop visits j = n−1 … 0 once each, so updating it in
 * place there changes nothing the rest of the step reads, and no [n, ...] gradient is ever held:
 * the step's memory is the weights, the optimizer's slots and one block's activations.
 *
 * <p>The loop body is a function built once, so whatever the update reads from outside it (a
 * learning rate, the handles of slot variables) must be declared: {@link #bind} declares those
 * tensors through {@link Inputs#add} and returns the step that reads them back with {@link
 * Slice#read}. Pass an update to {@link ReversibleUnit#backward(Ops, Sweep, State, BlockUpdate)}.
 *
 * @param <T> floating element type
 */
@FunctionalInterface
public interface BlockUpdate<T extends TFloating> {

  /**
   * Plain gradient descent θ_j ← θ_j − η ∂L/∂θ_j.
   *
   * @param <T> the parameters' element type
   * @param learningRate η, a scalar of the parameters' type
   * @return the update
   */
  static <T extends TFloating> BlockUpdate<T> gradientDescent(Operand<T> learningRate) {
    return (parameter, inputs) -> {
      Input<T> rate = inputs.add(learningRate);
      return (tf, slice) ->
          List.of(
              tf.resourceScatterSub(
                  slice.handle(), slice.block(), tf.math.mul(slice.read(rate), slice.gradient())));
    };
  }

  /**
   * Declares what the update of {@code parameter} reads from outside the loop and returns that
   * update. Called once per trainable parameter while the backward loop is built.
   *
   * @param parameter the stacked parameter whose slices the update steps
   * @param inputs where to declare the tensors from outside the loop the update reads
   * @return the update of one slice, built inside the loop body
   */
  SliceStep<T> bind(UnitParameter<T> parameter, Inputs inputs);

  /** The update of one parameter's slice, built inside the loop body. */
  @FunctionalInterface
  interface SliceStep<T extends TFloating> {
    /**
     * The ops that update block j's slice.
     *
     * @param tf ops of the loop body
     * @param slice the slice, its gradient and neighbours, and the declared inputs
     * @return the ops that change the slice; the next block's inverse waits for them
     */
    List<Op> apply(Ops tf, Slice<T> slice);
  }

  /** Where {@link #bind} declares the tensors from outside the loop that its update reads. */
  interface Inputs {
    /**
     * Brings {@code outside} into the loop; read it inside with {@link Slice#read}.
     *
     * @param <U> its element type
     * @param outside a tensor of the graph the loop is built in
     * @return its key inside the loop
     */
    <U extends TType> Input<U> add(Operand<U> outside);
  }

  /** A tensor from outside the loop, as declared by {@link Inputs#add}. */
  final class Input<U extends TType> {
    final LoopState.Slot<U> slot;

    Input(LoopState.Slot<U> slot) {
      this.slot = slot;
    }
  }

  /** Block j's view of one stacked parameter θ during the backward loop. */
  final class Slice<T extends TFloating> {
    private final UnitParameter<T> parameter;
    private final Operand<?> handle;
    private final Operand<TInt32> block;
    private final Operand<T> value;
    private final Operand<T> gradient;
    private final Operand<T> previous;
    private final Operand<T> next;
    private final LoopState.Frame frame;

    Slice(
        UnitParameter<T> parameter,
        Operand<?> handle,
        Operand<TInt32> block,
        Operand<T> value,
        Operand<T> gradient,
        Operand<T> previous,
        Operand<T> next,
        LoopState.Frame frame) {
      this.parameter = parameter;
      this.handle = handle;
      this.block = block;
      this.value = value;
      this.gradient = gradient;
      this.previous = previous;
      this.next = next;
      this.frame = frame;
    }

    /** {@return the stacked parameter} */
    public UnitParameter<T> parameter() {
      return parameter;
    }

    /**
     * {@return its variable's handle inside the loop, for {@code ResourceSparseApply*} ops at row
     * j}
     */
    public Operand<?> handle() {
      return handle;
    }

    /** {@return the block index j, a scalar} */
    public Operand<TInt32> block() {
      return block;
    }

    /** {@return θ_j as the step's forward pass read it} */
    public Operand<T> value() {
      return value;
    }

    /** {@return ∂L/∂θ_j} */
    public Operand<T> gradient() {
      return gradient;
    }

    /** {@return θ_{j−1} (θ_0 itself at j = 0), not yet updated} */
    public Operand<T> previous() {
      return previous;
    }

    /**
     * {@return θ_{j+1} as it was before this step's update (θ_{n−1} itself at j = n−1)} A
     * difference with a missing neighbour is zero.
     */
    public Operand<T> next() {
      return next;
    }

    /**
     * A tensor that {@link BlockUpdate#bind} declared, as the loop body sees it.
     *
     * @param <U> its element type
     * @param input the key {@link Inputs#add} returned
     * @return the tensor inside the loop body
     */
    public <U extends TType> Operand<U> read(Input<U> input) {
      return frame.get(input.slot);
    }
  }
}
