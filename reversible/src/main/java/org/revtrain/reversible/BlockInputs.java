package org.revtrain.reversible;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * What every block of a loop reads, declared as loop invariants: each stacked parameter, the step
 * sizes h [n] and the residual factors κ [n]. A parameter enters either as its variable's handle
 * ({@link Reading#HANDLE}: block j gathers its own slice θ_j from the variable, no [n, ...] copy,
 * and each sweep reads separately, so that no forward tensor is shared with the backward; an update
 * inside the loop needs it) or as one read of its value ({@link Reading#VALUE}: an alias of the
 * variable's buffer, not a copy), through which TensorFlow's gradients reach the variable.
 */
final class BlockInputs<T extends TFloating> {

  /** How a loop reads the stacked parameters. */
  enum Reading {
    HANDLE,
    VALUE
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
      Operand<?> value = reading == Reading.HANDLE ? p.variable().handle() : p.variable().read(tf);
      parameters.put(p.spec().name(), state.invariant(p.name(), value));
    }
    this.stepSizes = state.invariant("h", unit.vector(tf, unit.stepSizes()));
    this.keep = state.invariant("keep", keep);
  }

  /** The loop variable of each stacked parameter, by parameter name. */
  Map<String, LoopState.Slot<? extends TType>> parameters() {
    return Map.copyOf(parameters);
  }

  /** The handle of parameter {@code name}'s variable, inside a loop that reads handles. */
  Operand<?> handle(LoopState.Frame frame, String name) {
    if (reading != Reading.HANDLE) {
      throw new IllegalStateException("this loop reads parameter values, not handles");
    }
    return frame.get(parameters.get(name));
  }

  /** Block j's context inside the loop: its slices θ_j, h_j and κ_j. */
  BlockContext<T> context(
      Ops ftf, Operand<TInt32> j, LoopState.Frame frame, Phase phase, boolean record) {
    Class<T> dtype = unit.dtype();
    Operand<TInt32> axis = ftf.constant(0);
    Map<String, Operand<T>> w = new LinkedHashMap<>();
    parameters.forEach(
        (name, slot) ->
            w.put(
                name,
                reading == Reading.HANDLE
                    ? ResourceVariable.slice(ftf, frame.get(slot), j, dtype)
                    : ftf.gather(cast(frame.get(slot)), j, axis)));
    Operand<T> h = ftf.gather(frame.get(stepSizes), j, axis);
    Operand<T> kappa = ftf.gather(frame.get(keep), j, axis);
    return new BlockContext<>(ftf, dtype, w, h, kappa, phase, unit.fieldType(), record);
  }

  @SuppressWarnings("unchecked")
  private Operand<T> cast(Operand<?> o) {
    return (Operand<T>) o;
  }
}
