package org.revtrain.trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.revtrain.reversible.BlockUpdate;
import org.revtrain.reversible.ResourceVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, as TensorFlow's {@code ApplyMomentum} and
 * the framework's {@code Momentum} optimizer compute it:
 *
 * <pre>
 *   v ← μ v + g
 *   θ ← θ − η v
 * </pre>
 *
 * applied either to whole variables after the backward pass ({@link #update}) or, for units that
 * reconstruct, to block j's slice θ_j and v_j inside the backward loop as soon as g_j exists
 * ({@link #perBlock}, {@code ResourceSparseApplyMomentum} at row j): the same arithmetic, without
 * ever holding a unit's whole gradient.
 *
 * <p>Unlike the framework optimizer, the learning rate η is an operand (fed every step), so that a
 * {@link LearningRateSchedule} can change it without rebuilding the graph. Each variable {@code x}
 * gets one slot variable named {@code x.momentum}, initialised to zero, which a checkpoint saves
 * with the weights.
 */
public final class MomentumSgd<T extends TFloating> {
  /** Suffix of the slot variable's name. */
  public static final String SLOT_SUFFIX = ".momentum";

  private final double momentum;
  private final Map<String, ResourceVariable<T>> variables;
  private final Map<String, ResourceVariable<T>> slots;

  private MomentumSgd(
      double momentum,
      Map<String, ResourceVariable<T>> variables,
      Map<String, ResourceVariable<T>> slots) {
    this.momentum = momentum;
    this.variables = variables;
    this.slots = slots;
  }

  /**
   * Creates the slot variables of {@code variables}.
   *
   * @param variables the trainable variables, by name
   * @param momentum μ in [0, 1)
   */
  public static <T extends TFloating> MomentumSgd<T> create(
      Ops tf, Map<String, ResourceVariable<T>> variables, double momentum, Class<T> dtype) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    Map<String, ResourceVariable<T>> slots = new LinkedHashMap<>();
    variables.forEach(
        (name, v) ->
            slots.put(
                name,
                ResourceVariable.create(
                    tf,
                    name + SLOT_SUFFIX,
                    tf.fill(
                        tf.constant(v.shape().asArray()),
                        ResourceVariable.unfolded(tf, tf.constant(dtype, 0.0))))));
    return new MomentumSgd<>(
        momentum,
        Collections.unmodifiableMap(new LinkedHashMap<>(variables)),
        Collections.unmodifiableMap(slots));
  }

  /** The momentum slot of each variable, by the variable's name. */
  public Map<String, ResourceVariable<T>> slots() {
    return slots;
  }

  /**
   * The update ops of the variables that {@code gradients} names.
   *
   * @param tf ops whose control dependencies the updates must wait for (every read of a weight in
   *     the step)
   * @param gradients the gradient of each variable to update, by name
   * @param learningRate η, a scalar of the variables' type
   */
  public List<Op> update(Ops tf, Map<String, Operand<T>> gradients, Operand<T> learningRate) {
    Operand<T> mu = tf.constant(learningRate.type(), momentum);
    List<Op> ops = new ArrayList<>();
    gradients.forEach(
        (name, g) -> {
          ResourceVariable<T> slot = slot(name);
          ops.add(
              tf.train.resourceApplyMomentum(
                  variables.get(name).handle(), slot.handle(), learningRate, g, mu));
        });
    return ops;
  }

  /**
   * The same update, of block j's slices, for a reconstructing backward loop.
   *
   * @param learningRate η, a scalar of the variables' type
   * @param gradient the gradient to descend for a slice: its loss gradient plus any regulariser's
   */
  public BlockUpdate<T> perBlock(
      Operand<T> learningRate, BiFunction<Ops, BlockUpdate.Slice<T>, Operand<T>> gradient) {
    return (parameter, inputs) -> {
      BlockUpdate.Input<?> slot = inputs.add(slot(parameter.name()).handle());
      BlockUpdate.Input<T> rate = inputs.add(learningRate);
      return (tf, slice) -> {
        Operand<T> eta = slice.read(rate);
        Operand<T> g = gradient.apply(tf, slice);
        return List.of(
            tf.train.resourceSparseApplyMomentum(
                slice.handle(),
                slice.read(slot),
                eta,
                tf.expandDims(g, tf.constant(0)),
                tf.reshape(slice.block(), tf.constant(new int[] {1})),
                tf.constant(eta.type(), momentum)));
      };
    };
  }

  /** The momentum slot of the trainable variable {@code name}. */
  private ResourceVariable<T> slot(String name) {
    ResourceVariable<T> v = slots.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no trainable variable " + name + " in this optimizer");
    }
    return v;
  }
}
