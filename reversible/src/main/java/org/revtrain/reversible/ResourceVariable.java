package org.revtrain.reversible;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * A TensorFlow resource variable: a handle that ops read ({@code ReadVariableOp}, {@code
 * ResourceGather}) and update in place. Unlike a reference variable its handle can enter a
 * functional while loop, so the reversible backward can read one block's slice of a stacked
 * parameter, and an optimizer can update that slice as soon as its gradient exists.
 *
 * <p>The variable's op name is its checkpoint key. Its initial value is assigned by the graph's
 * initialisers ({@code Session.initialize}).
 *
 * @param <T> element type
 */
public final class ResourceVariable<T extends TType> implements StackedVariable<T> {
  private final String name;
  private final Shape shape;
  private final Class<T> type;
  private final Operand<?> handle;

  private ResourceVariable(String name, Shape shape, Class<T> type, Operand<?> handle) {
    this.name = name;
    this.shape = shape;
    this.type = type;
    this.handle = handle;
  }

  /**
   * Creates the variable {@code name} in {@code tf}'s graph, initialised to {@code initialValue}
   * (whose shape must be fully known).
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param name the op name and shared name, unique in the graph
   * @param initialValue the value the graph's initialisers assign
   * @return the variable
   */
  public static <T extends TType> ResourceVariable<T> create(
      Ops tf, String name, Operand<T> initialValue) {
    Shape shape = initialValue.shape();
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalArgumentException(
          "variable " + name + " needs a fully known shape, got " + shape);
    }
    Ops init = tf.withInitScope();
    VarHandleOp handle =
        init.withName(name).varHandleOp(initialValue.type(), shape, VarHandleOp.sharedName(name));
    init.withName(name + "_init").assignVariableOp(handle, initialValue);
    return new ResourceVariable<>(name, shape, initialValue.type(), handle);
  }

  /** The op name, which is also the checkpoint key. */
  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape shape() {
    return shape;
  }

  @Override
  public Class<T> type() {
    return type;
  }

  /** {@return the resource handle, e.g. for a loop or an optimizer's {@code Resource*} op} */
  public Operand<?> handle() {
    return handle;
  }

  /**
   * The same variable's handle in another graph of the session, e.g. a loop's function: a lookup by
   * its shared name.
   */
  Operand<?> lookup(Ops tf) {
    return tf.varHandleOp(type, shape, VarHandleOp.sharedName(name));
  }

  /** A fresh read of the whole value: one op per call, so that separate uses stay separate. */
  @Override
  public Operand<T> read(Ops tf) {
    return tf.readVariableOp(handle, type);
  }

  /** Replaces the value. */
  @Override
  public Op assign(Ops tf, Operand<T> value) {
    return tf.assignVariableOp(handle, value);
  }

  /**
   * Slice {@code index} along the leading axis of the variable behind {@code handle} (a copy), e.g.
   * block j of a stacked parameter inside a loop, where the handle is a loop variable.
   *
   * @param <T> element type
   * @param tf ops of the graph (or function) to build in
   * @param handle the variable's handle there
   * @param index the row, a scalar, or a vector of rows
   * @param type the element type's class
   * @return row {@code index} of the variable's value
   */
  public static <T extends TType> Operand<T> slice(
      Ops tf, Operand<?> handle, Operand<TInt32> index, Class<T> type) {
    return tf.resourceGather(Objects.requireNonNull(handle, "handle"), index, type);
  }

  /**
   * {@code value} plus a zero that only exists at run time (a draw from the stateful {@code
   * RandomUniformInt} on [0, 1)), so that no constant folding sees through it. Build initial values
   * from leaves passed through this. Otherwise the initialiser is folded into one constant, the
   * variable adopts that constant's buffer, and the session's cached initialiser keeps it: the
   * first in-place update or {@code ResourceGather} then copies the variable, and the weights are
   * held twice for the session's lifetime (measured: +7 MiB resident for a 7 MiB stacked kernel).
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param value the leaf
   * @return the same value, opaque to constant folding
   */
  public static <T extends TNumber> Operand<T> unfolded(Ops tf, Operand<T> value) {
    Operand<TInt32> zero =
        tf.random.randomUniformInt(tf.constant(new int[0]), tf.constant(0), tf.constant(1));
    return tf.math.add(value, tf.dtypes.cast(zero, value.type()));
  }

  @Override
  public String toString() {
    return name + " " + shape;
  }
}
