package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * Where a reconstructing backward loop puts each block's parameter gradients dθ_j: collected into
 * TensorLists and returned stacked, [n, ...] ({@link #collect}), or handed to a {@link BlockUpdate}
 * that applies them to θ_j at once ({@link #fused}), so that no [n, ...] gradient is ever held.
 */
abstract sealed class GradientSink<T extends TFloating>
    permits GradientSink.Collected, GradientSink.Fused {

  /** Declares the sink's loop variables for every trainable parameter of {@code unit}. */
  abstract Declared<T> declare(LoopState state, Ops tf, ReversibleUnit<T> unit, BlockInputs<T> in);

  /** The sink as declared in one loop. */
  interface Declared<T extends TFloating> {
    /**
     * Takes block j's gradients dθ_j of every trainable parameter, by name; returns the ops the
     * next block's inverse must wait for.
     */
    List<Op> accept(
        Ops ftf,
        LoopState.Frame frame,
        Operand<TInt32> j,
        BlockContext<T> ctx,
        Map<String, Operand<T>> gradients);

    /** The stacked gradients by parameter name (empty when they were consumed). */
    Map<String, Operand<T>> gradients(Ops tf, LoopState.Outputs outputs);
  }

  static <T extends TFloating> GradientSink<T> collect() {
    return new Collected<>();
  }

  static <T extends TFloating> GradientSink<T> fused(BlockUpdate<T> update) {
    return new Fused<>(update);
  }

  /** dθ_j into a TensorList per parameter, stacked after the loop. */
  static final class Collected<T extends TFloating> extends GradientSink<T> {
    @Override
    Declared<T> declare(LoopState state, Ops tf, ReversibleUnit<T> unit, BlockInputs<T> in) {
      Map<String, LoopState.Slot<? extends TType>> lists = new LinkedHashMap<>();
      Map<String, ParameterSpec> specs = new LinkedHashMap<>();
      for (UnitParameter<T> p : unit.trainableParameters()) {
        Operand<?> list =
            tf.tensorListReserve(p.spec().shape(tf), tf.constant(unit.blocks()), unit.dtype());
        lists.put(p.spec().name(), state.carried("d" + p.name(), list));
        specs.put(p.spec().name(), p.spec());
      }
      return new Declared<>() {
        @Override
        public List<Op> accept(
            Ops ftf,
            LoopState.Frame frame,
            Operand<TInt32> j,
            BlockContext<T> ctx,
            Map<String, Operand<T>> gradients) {
          List<Op> done = new ArrayList<>();
          lists.forEach(
              (name, slot) -> {
                var set = ftf.tensorListSetItem(frame.get(slot), j, gradients.get(name));
                frame.set(slot, set);
                done.add(set);
              });
          return done;
        }

        @Override
        public Map<String, Operand<T>> gradients(Ops tf, LoopState.Outputs outputs) {
          Map<String, Operand<T>> out = new LinkedHashMap<>();
          lists.forEach(
              (name, slot) ->
                  out.put(
                      name,
                      tf.tensorListStack(
                          outputs.get(slot), specs.get(name).shape(tf), unit.dtype())));
          return out;
        }
      };
    }
  }

  /**
   * dθ_j applied at once by a {@link BlockUpdate}. Each parameter carries θ_{j+1} as it was before
   * its update (the slice's "next" neighbour); θ_{j−1} is read from the variable, not yet updated.
   */
  static final class Fused<T extends TFloating> extends GradientSink<T> {
    private final BlockUpdate<T> update;

    private Fused(BlockUpdate<T> update) {
      this.update = update;
    }

    @Override
    Declared<T> declare(LoopState state, Ops tf, ReversibleUnit<T> unit, BlockInputs<T> in) {
      Class<T> dtype = unit.dtype();
      Operand<TInt32> last = tf.constant(unit.blocks() - 1);
      Map<String, LoopState.Slot<T>> next = new LinkedHashMap<>();
      for (UnitParameter<T> p : unit.trainableParameters()) {
        Operand<T> top = ResourceVariable.slice(tf, p.resource().handle(), last, dtype);
        next.put(p.spec().name(), state.carried("next." + p.name(), top));
      }
      Map<String, BlockUpdate.SliceStep<T>> steps = new LinkedHashMap<>();
      for (UnitParameter<T> p : unit.trainableParameters()) {
        BlockUpdate.Inputs inputs =
            new BlockUpdate.Inputs() {
              @Override
              public <U extends TType> BlockUpdate.Input<U> add(Operand<U> outside) {
                return new BlockUpdate.Input<>(state.invariant("update." + p.name(), outside));
              }
            };
        steps.put(p.spec().name(), update.bind(p, inputs));
      }
      return new Declared<>() {
        @Override
        public List<Op> accept(
            Ops ftf,
            LoopState.Frame frame,
            Operand<TInt32> j,
            BlockContext<T> ctx,
            Map<String, Operand<T>> gradients) {
          Operand<TInt32> below =
              ftf.math.maximum(ftf.math.sub(j, ftf.constant(1)), ftf.constant(0));
          List<Op> done = new ArrayList<>();
          for (UnitParameter<T> p : unit.trainableParameters()) {
            String name = p.spec().name();
            Operand<?> handle = in.handle(frame, name);
            Operand<T> value = ctx.parameter(name);
            BlockUpdate.Slice<T> slice =
                new BlockUpdate.Slice<>(
                    p,
                    handle,
                    j,
                    value,
                    gradients.get(name),
                    ResourceVariable.slice(ftf, handle, below, dtype),
                    frame.get(next.get(name)),
                    frame);
            done.addAll(steps.get(name).apply(ftf, slice));
            frame.set(next.get(name), value);
          }
          return done;
        }

        @Override
        public Map<String, Operand<T>> gradients(Ops tf, LoopState.Outputs outputs) {
          return Map.of();
        }
      };
    }
  }
}
