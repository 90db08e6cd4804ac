package org.revtrain.reversible;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TType;

/**
 * A TensorFlow reference variable ({@code VariableV2}), the kind TensorFlow Java's framework
 * optimizers find ({@code Optimizer.minimize} looks for this op type) and update ({@code
 * ApplyMomentum}, {@code ApplyAdam} take a reference). It is read in place, without a copy. A
 * reference cannot enter a loop's function, so a loop reads its whole value, and no update can
 * happen inside the backward loop.
 *
 * <p>Its initial value is assigned by the graph's initialisers ({@code Session.initialize}).
 *
 * @param <T> element type
 */
public final class ReferenceVariable<T extends TType> implements StackedVariable<T> {
  private final Variable<T> variable;

  private ReferenceVariable(Variable<T> variable) {
    this.variable = variable;
  }

  /**
   * Creates the variable {@code name} in {@code tf}'s graph, initialised to {@code initialValue}
   * (whose shape must be fully known).
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param name the op name, unique in the graph
   * @param initialValue the value the graph's initialisers assign
   * @return the variable
   */
  public static <T extends TType> ReferenceVariable<T> create(
      Ops tf, String name, Operand<T> initialValue) {
    Shape shape = initialValue.shape();
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalArgumentException(
          "variable " + name + " needs a fully known shape, got " + shape);
    }
    return new ReferenceVariable<>(tf.withName(name).variable(initialValue));
  }

  @Override
  public String name() {
    return variable.op().name();
  }

  @Override
  public Shape shape() {
    return variable.shape();
  }

  @Override
  public Class<T> type() {
    return variable.type();
  }

  /** {@return the variable op, e.g. for an optimizer or {@code Graph.addGradients}} */
  public Variable<T> variable() {
    return variable;
  }

  @Override
  public Operand<T> read(Ops tf) {
    return tf.identity(variable);
  }

  @Override
  public Op assign(Ops tf, Operand<T> value) {
    return tf.assign(variable, value);
  }

  @Override
  public String toString() {
    return name() + " " + shape();
  }
}
