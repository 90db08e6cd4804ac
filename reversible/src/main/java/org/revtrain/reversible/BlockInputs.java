package org.revtrain.reversible;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * What every block of a loop reads, declared as loop invariants: each stacked parameter's variable
 * handle (block j gathers its own slice θ_j: no [n, ...] copy, and each sweep reads separately, so
 * that no forward tensor is shared with the backward), the step sizes h [n] and the residual
 * factors κ [n].
 */
final class BlockInputs<T extends TFloating> {
  private final ReversibleUnit<T> unit;
  private final Map<String, LoopState.Slot<? extends TType>> handles = new LinkedHashMap<>();
  private final LoopState.Slot<T> stepSizes;
  private final LoopState.Slot<T> keep;

  BlockInputs(LoopState state, Ops tf, ReversibleUnit<T> unit, Operand<T> keep) {
    this.unit = unit;
    for (UnitParameter<T> p : unit.parameters()) {
      handles.put(p.spec().name(), state.invariant(p.name(), p.variable().handle()));
    }
    this.stepSizes = state.invariant("h", unit.vector(tf, unit.stepSizes()));
    this.keep = state.invariant("keep", keep);
  }

  /** The handle of parameter {@code name}'s variable, inside the loop. */
  Operand<?> handle(LoopState.Frame frame, String name) {
    return frame.get(handles.get(name));
  }

  /** Block j's context inside the loop: its slices θ_j, h_j and κ_j. */
  BlockContext<T> context(
      Ops ftf, Operand<TInt32> j, LoopState.Frame frame, Phase phase, boolean record) {
    Class<T> dtype = unit.dtype();
    Map<String, Operand<T>> w = new LinkedHashMap<>();
    handles.forEach(
        (name, slot) -> w.put(name, ResourceVariable.slice(ftf, frame.get(slot), j, dtype)));
    Operand<TInt32> axis = ftf.constant(0);
    Operand<T> h = ftf.gather(frame.get(stepSizes), j, axis);
    Operand<T> kappa = ftf.gather(frame.get(keep), j, axis);
    return new BlockContext<>(ftf, dtype, w, h, kappa, phase, unit.fieldType(), record);
  }
}
