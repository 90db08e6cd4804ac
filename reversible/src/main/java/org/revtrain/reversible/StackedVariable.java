package org.revtrain.reversible;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TType;

/**
 * A variable holding one parameter of every block of a unit, [n, ...]: a {@link ResourceVariable}
 * (the default: its handle can enter a loop, so a block's slice can be read and updated there) or a
 * {@link ReferenceVariable} (the kind TensorFlow Java's framework optimizers find and update).
 *
 * @param <T> element type
 */
public sealed interface StackedVariable<T extends TType>
    permits ResourceVariable, ReferenceVariable {

  /** {@return the op name, which is also the checkpoint key} */
  String name();

  /** {@return the shape [n, ...]} */
  Shape shape();

  /** {@return the element type} */
  Class<T> type();

  /**
   * The current value; a fresh read per call, so that separate uses stay separate.
   *
   * @param tf ops of the graph to build in
   * @return the value, [n, ...]
   */
  Operand<T> read(Ops tf);

  /**
   * Replaces the value.
   *
   * @param tf ops of the graph to build in
   * @param value the new value, of the variable's shape
   * @return the assignment
   */
  Op assign(Ops tf, Operand<T> value);
}
