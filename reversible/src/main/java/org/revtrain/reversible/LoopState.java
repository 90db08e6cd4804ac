package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.family.TType;

/**
 * The variables of a {@link WhileLoop}, declared by name before the loop is built: <em>carried</em>
 * variables, which the body must set every iteration, and <em>invariants</em>, which pass through
 * unchanged. Declaring one returns its {@link Slot}; the body reads and writes slots through a
 * {@link Frame}, and the loop's results are read by slot from its {@link Outputs}. Nothing is
 * addressed by position, and a value of the wrong type or a carried variable left unset is an error
 * naming the variable.
 */
final class LoopState {
  private final List<Slot<?>> slots = new ArrayList<>();
  private final List<Operand<?>> initial = new ArrayList<>();

  /** A loop variable's key. */
  static final class Slot<U extends TType> {
    private final int index;
    private final String name;
    private final boolean carried;
    private final DataType type;

    private Slot(int index, String name, boolean carried, DataType type) {
      this.index = index;
      this.name = name;
      this.carried = carried;
      this.type = type;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Declares a variable that the body sets every iteration, starting from {@code initial}. */
  <U extends TType> Slot<U> carried(String name, Operand<U> initial) {
    return add(name, true, initial);
  }

  /** Declares a value that every iteration reads unchanged. */
  <U extends TType> Slot<U> invariant(String name, Operand<U> value) {
    return add(name, false, value);
  }

  private <U extends TType> Slot<U> add(String name, boolean carried, Operand<U> value) {
    Slot<U> s = new Slot<>(slots.size(), name, carried, value.asOutput().dataType());
    slots.add(s);
    initial.add(value);
    return s;
  }

  /** The initial values, in declaration order (for {@link WhileLoop} only). */
  List<Operand<?>> initial() {
    return List.copyOf(initial);
  }

  /** One iteration of the body: the variables as it receives them and the values it sets. */
  final class Frame {
    private final List<Operand<?>> current;
    private final Operand<?>[] next;

    Frame(List<Operand<?>> current) {
      this.current = current;
      this.next = new Operand<?>[slots.size()];
    }

    /** The variable's value at the start of this iteration. */
    <U extends TType> Operand<U> get(Slot<U> slot) {
      return cast(current.get(owned(slot).index));
    }

    /** Sets a carried variable's value for the next iteration. */
    <U extends TType> void set(Slot<U> slot, Operand<?> value) {
      owned(slot);
      if (!slot.carried) {
        throw new IllegalStateException("loop invariant " + slot + " cannot be set");
      }
      DataType type = value.asOutput().dataType();
      if (type != slot.type) {
        throw new IllegalStateException(
            "loop variable " + slot + " is " + slot.type + ", the body gave " + type);
      }
      next[slot.index] = value;
    }

    /** The next values, invariants passed through (for {@link WhileLoop} only). */
    List<Operand<?>> next() {
      List<Operand<?>> out = new ArrayList<>();
      for (Slot<?> s : slots) {
        if (s.carried && next[s.index] == null) {
          throw new IllegalStateException("the loop body did not set " + s);
        }
        out.add(s.carried ? next[s.index] : current.get(s.index));
      }
      return out;
    }
  }

  /** The variables after the last iteration. */
  final class Outputs {
    private final List<Output<?>> values;

    Outputs(List<Output<?>> values) {
      this.values = values;
    }

    <U extends TType> Operand<U> get(Slot<U> slot) {
      return cast(values.get(owned(slot).index));
    }
  }

  /** The declaration index of {@code slot}. */
  int index(Slot<?> slot) {
    return owned(slot).index;
  }

  private <U extends TType> Slot<U> owned(Slot<U> slot) {
    if (slot.index >= slots.size() || slots.get(slot.index) != slot) {
      throw new IllegalArgumentException("loop variable " + slot + " belongs to another loop");
    }
    return slot;
  }

  @SuppressWarnings("unchecked")
  private static <U extends TType> Operand<U> cast(Operand<?> o) {
    return (Operand<U>) o;
  }
}
