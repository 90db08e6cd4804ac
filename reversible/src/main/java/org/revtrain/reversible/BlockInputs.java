package org.revtrain.reversible;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * What every block of a loop reads, declared as loop invariants: each stacked parameter, the step
 * sizes h [n] and the residual factors κ [n]. Block j gathers its own slice θ_j from the variable
 * (no [n, ...] copy, and each sweep reads separately, so that no forward tensor is shared with the
 * backward). The variable reaches the loop in one of two ways:
 *
 * <ul>
 *   <li>{@link Reading#HANDLE}: its handle is a loop variable (an update inside the loop needs it);
 *   <li>{@link Reading#NAME}: the loop's function looks the variable up by its shared name, and the
 *       loop variable is a <em>token</em>, an empty {@code ResourceGather} of the handle: a float
 *       input through which TensorFlow's gradients reach the handle ({@link GradientRules}), while
 *       the loop op has no resource input or output, for which TensorFlow's gradient builder would
 *       add {@code ZerosLike} ops no device can run. A read of the whole value would do as a token,
 *       but it copies the variable (sparse reads put it in copy-on-read mode).
 *   <li>{@link Reading#VALUE}: for a unit of {@link ReferenceVariable}s, which no function can
 *       take: one read of the whole value (in place, no copy), through which TensorFlow's gradients
 *       reach the variable.
 * </ul>
 */
final class BlockInputs<T extends TFloating> {

  /** How a loop reaches the stacked parameters' variables. */
  enum Reading {
    HANDLE,
    NAME
  }

  private final ReversibleUnit<T> unit;
  private final Reading reading;
  private final Map<String, LoopState.Slot<? extends TType>> parameters = new LinkedHashMap<>();
  private final LoopState.Slot<T> stepSizes;
  private final LoopState.Slot<T> keep;

  BlockInputs(LoopState state, Ops tf, ReversibleUnit<T> unit, Operand<T> keep, Reading reading) {
    this.unit = unit;
    this.reading = reading;
    for (UnitParameter<T> p : unit.parameters()) {
      Operand<?> value;
      if (p.variable() instanceof ReferenceVariable<T> reference) {
        value = reference.read(tf);
      } else {
        value = reading == Reading.HANDLE ? p.resource().handle() : token(tf, p);
      }
      parameters.put(p.spec().name(), state.invariant(p.name(), value));
    }
    this.stepSizes = state.invariant("h", unit.vector(tf, unit.stepSizes()));
    this.keep = state.invariant("keep", keep);
  }

  /** An empty gather of the variable, whose gradient is its handle's. */
  private Operand<T> token(Ops tf, UnitParameter<T> p) {
    Operand<TInt32> none = tf.constant(new int[0]);
    Operand<T> token = ResourceVariable.slice(tf, p.resource().handle(), none, unit.dtype());
    unit.track(
        GradientRules.register(
            token.op(), (gtf, upstream) -> List.of(upstream.get(0), gtf.zerosLike(none))));
    return token;
  }

  /** The loop variable of each stacked parameter, by parameter name. */
  Map<String, LoopState.Slot<? extends TType>> parameters() {
    return Map.copyOf(parameters);
  }

  /** The handle of parameter {@code name}'s variable, inside a loop that carries handles. */
  Operand<?> handle(LoopState.Frame frame, String name) {
    if (reading != Reading.HANDLE) {
      throw new IllegalStateException("this loop looks its variables up by name");
    }
    return frame.get(parameters.get(name));
  }

  /** Block j's context inside the loop: its slices θ_j, h_j and κ_j. */
  BlockContext<T> context(
      Ops ftf, Operand<TInt32> j, LoopState.Frame frame, Phase phase, boolean record) {
    Class<T> dtype = unit.dtype();
    Map<String, Operand<T>> w = new LinkedHashMap<>();
    for (UnitParameter<T> p : unit.parameters()) {
      String name = p.spec().name();
      Operand<?> slot = frame.get(parameters.get(name));
      Operand<T> slice;
      if (p.variable() instanceof ReferenceVariable<T>) {
        slice = ftf.gather(cast(slot), j, ftf.constant(0));
      } else {
        Operand<?> handle = reading == Reading.HANDLE ? slot : p.resource().lookup(ftf);
        slice = ResourceVariable.slice(ftf, handle, j, dtype);
      }
      w.put(name, slice);
    }
    Operand<TInt32> axis = ftf.constant(0);
    Operand<T> h = ftf.gather(frame.get(stepSizes), j, axis);
    Operand<T> kappa = ftf.gather(frame.get(keep), j, axis);
    return new BlockContext<>(ftf, dtype, w, h, kappa, phase, unit.fieldType(), record);
  }

  @SuppressWarnings("unchecked")
  private Operand<T> cast(Operand<?> o) {
    return (Operand<T>) o;
  }
}
