package org.revtrain.trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, as TensorFlow's {@code ApplyMomentum}
 * and the framework's {@code Momentum} optimizer compute it:
 *
 * <pre>
 *   v ← μ v + g
 *   θ ← θ − η v
 * </pre>
 *
 * Unlike the framework optimizer, the learning rate η is an operand (fed every step), so that a
 * {@link LearningRateSchedule} can change it without rebuilding the graph. Each variable {@code x}
 * gets one slot variable named {@code x.momentum}, initialised to zero, which a checkpoint saves
 * with the weights.
 */
public final class MomentumSgd<T extends TFloating> {
  /** Suffix of the slot variable's name. */
  public static final String SLOT_SUFFIX = ".momentum";

  private final double momentum;
  private final Map<String, Variable<T>> variables;
  private final Map<String, Variable<T>> slots;

  private MomentumSgd(double momentum, Map<String, Variable<T>> variables, Map<String, Variable<T>> slots) {
    this.momentum = momentum;
    this.variables = variables;
    this.slots = slots;
  }

  /**
   * Creates the slot variables of {@code variables}.
   *
   * @param variables the trainable (reference) variables, by name
   * @param momentum μ in [0, 1)
   */
  public static <T extends TFloating> MomentumSgd<T> create(
      Ops tf, Map<String, Variable<T>> variables, double momentum, Class<T> dtype) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    Map<String, Variable<T>> slots = new LinkedHashMap<>();
    variables.forEach(
        (name, v) -> {
          Shape s = v.shape();
          slots.put(
              name,
              tf.withName(name + SLOT_SUFFIX)
                  .variable(tf.fill(tf.constant(s.asArray()), tf.constant(dtype, 0.0))));
        });
    return new MomentumSgd<>(
        momentum,
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables)),
        java.util.Collections.unmodifiableMap(slots));
  }

  /** The momentum slot of each variable, by the variable's name. */
  public Map<String, Variable<T>> slots() {
    return slots;
  }

  /**
   * The update ops of one step.
   *
   * @param tf ops whose control dependencies the updates must wait for (every read of a weight in
   *     the step: reads of reference variables alias the buffers the updates change in place)
   * @param gradients the gradient of each variable, by name (all of {@link #create}'s variables)
   * @param learningRate η, a scalar of the variables' type
   */
  public List<Op> update(
      Ops tf, Map<String, Operand<T>> gradients, Operand<T> learningRate, Class<T> dtype) {
    Operand<T> mu = tf.constant(dtype, momentum);
    List<Op> ops = new ArrayList<>();
    variables.forEach(
        (name, v) -> {
          Operand<T> g = gradients.get(name);
          if (g == null) {
            throw new IllegalArgumentException("no gradient for variable " + name);
          }
          ops.add(tf.train.applyMomentum(v, slots.get(name), learningRate, g, mu));
        });
    return ops;
  }
}
