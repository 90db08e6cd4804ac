package org.revtrain.reversible;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * Which block inputs a reconstructing unit stores in its forward sweep, and how its backward uses
 * them: {@link #NONE} (REVERSIBLE) stores nothing and reconstructs every input; {@link Every}
 * (CHECKPOINT(k)) stores the input of every k-th block and resets the reconstruction there.
 *
 * <p>The reconstruction error reported is, without checkpoints, the relative error ‖x̂ − x‖ / ‖x‖
 * of the reconstructed unit input against the true one (which the network stores anyway); with
 * them, the largest such error at a stored input.
 */
sealed interface CheckpointPolicy permits CheckpointPolicy.None, CheckpointPolicy.Every {

  /** REVERSIBLE: nothing stored. */
  CheckpointPolicy NONE = new None();

  /** The policy of a reconstructing mode. */
  static CheckpointPolicy of(GradientMode mode) {
    return mode instanceof GradientMode.Checkpoint c ? new Every(c.every()) : NONE;
  }

  /** The forward sweep's side: declares its storage in the forward loop. */
  Recorder recorder(LoopState state, Ops tf, ReversibleUnit<?> unit);

  /** The backward's side: declares its use of {@code stored} in the backward loop. */
  <T extends TFloating> Reset<T> reset(
      LoopState state, Ops tf, ReversibleUnit<T> unit, Stored stored);

  /** Stores block inputs inside the forward loop. */
  interface Recorder {
    void store(Ops ftf, LoopState.Frame frame, Operand<TInt32> j, State<TFloating> input);

    /** What was stored, read from the loop's outputs. */
    Stored stored(LoopState.Outputs outputs);
  }

  /** What a forward sweep stored: TensorLists of the two state tensors, or nothing. */
  record Stored(Operand<?> a, Operand<?> b) {
    static final Stored NOTHING = new Stored(null, null);
  }

  /** Uses the stored inputs inside the backward loop. */
  interface Reset<T extends TFloating> {
    /** Block j's input: the stored one where there is one, else {@code reconstructed}. */
    State<TFloating> input(
        Ops ftf,
        LoopState.Frame frame,
        Operand<TInt32> j,
        State<TFloating> reconstructed,
        BlockContext<T> ctx);

    /**
     * The reconstruction error, from the loop's outputs and the unit's reconstructed and true
     * inputs.
     */
    Operand<T> error(
        Ops tf, LoopState.Outputs outputs, State<TFloating> reconstructed, State<T> truth);
  }

  /** ‖x̂ − x‖ / ‖x‖ over both state tensors. */
  static <S extends TFloating> Operand<S> relativeError(Ops tf, State<S> estimate, State<S> truth) {
    Operand<S> diff =
        tf.math.add(
            sumOfSquares(tf, tf.math.sub(estimate.a(), truth.a())),
            sumOfSquares(tf, tf.math.sub(estimate.b(), truth.b())));
    Operand<S> norm = tf.math.add(sumOfSquares(tf, truth.a()), sumOfSquares(tf, truth.b()));
    return tf.math.sqrt(tf.math.divNoNan(diff, norm));
  }

  private static <S extends TFloating> Operand<S> sumOfSquares(Ops tf, Operand<S> x) {
    return tf.reduceSum(tf.math.square(x), tf.constant(new int[] {0, 1, 2, 3}));
  }

  /** REVERSIBLE. */
  final class None implements CheckpointPolicy, Recorder {
    private None() {}

    @Override
    public Recorder recorder(LoopState state, Ops tf, ReversibleUnit<?> unit) {
      return this;
    }

    @Override
    public void store(Ops ftf, LoopState.Frame frame, Operand<TInt32> j, State<TFloating> input) {}

    @Override
    public Stored stored(LoopState.Outputs outputs) {
      return Stored.NOTHING;
    }

    @Override
    public <T extends TFloating> Reset<T> reset(
        LoopState state, Ops tf, ReversibleUnit<T> unit, Stored stored) {
      return new Reset<>() {
        @Override
        public State<TFloating> input(
            Ops ftf,
            LoopState.Frame frame,
            Operand<TInt32> j,
            State<TFloating> reconstructed,
            BlockContext<T> ctx) {
          return reconstructed;
        }

        @Override
        public Operand<T> error(
            Ops tf, LoopState.Outputs outputs, State<TFloating> reconstructed, State<T> truth) {
          State<TFloating> wide = truth.as(tf, unit.stateType());
          return State.converted(tf, relativeError(tf, reconstructed, wide), unit.dtype());
        }
      };
    }
  }

  /**
   * CHECKPOINT(k): the input of block j with j mod k = 0 goes to slot j / k of two TensorLists; the
   * other inputs to a scratch slot at the end, overwritten each time (one tensor, whatever the
   * depth).
   */
  record Every(int k) implements CheckpointPolicy {

    @Override
    public Recorder recorder(LoopState state, Ops tf, ReversibleUnit<?> unit) {
      int slots = (unit.blocks() + k - 1) / k + 1;
      Operand<TInt32> shape = tf.constant(new int[] {-1, -1, -1, unit.channels()});
      Class<TFloating> type = unit.stateType();
      LoopState.Slot<? extends TType> a =
          state.carried("checkpointsA", tf.tensorListReserve(shape, tf.constant(slots), type));
      LoopState.Slot<? extends TType> b =
          state.carried("checkpointsB", tf.tensorListReserve(shape, tf.constant(slots), type));
      return new Recorder() {
        @Override
        public void store(
            Ops ftf, LoopState.Frame frame, Operand<TInt32> j, State<TFloating> input) {
          Operand<TBool> kept = isStored(ftf, j);
          Operand<TInt32> slot =
              ftf.select(kept, ftf.math.floorDiv(j, ftf.constant(k)), ftf.constant(slots - 1));
          frame.set(a, ftf.tensorListSetItem(frame.get(a), slot, input.a()));
          frame.set(b, ftf.tensorListSetItem(frame.get(b), slot, input.b()));
        }

        @Override
        public Stored stored(LoopState.Outputs outputs) {
          return new Stored(outputs.get(a), outputs.get(b));
        }
      };
    }

    @Override
    public <T extends TFloating> Reset<T> reset(
        LoopState state, Ops tf, ReversibleUnit<T> unit, Stored stored) {
      Class<TFloating> type = unit.stateType();
      LoopState.Slot<? extends TType> a = state.invariant("checkpointsA", stored.a());
      LoopState.Slot<? extends TType> b = state.invariant("checkpointsB", stored.b());
      LoopState.Slot<T> drift = state.carried("drift", tf.constant(unit.dtype(), 0.0));
      return new Reset<>() {
        @Override
        public State<TFloating> input(
            Ops ftf,
            LoopState.Frame frame,
            Operand<TInt32> j,
            State<TFloating> reconstructed,
            BlockContext<T> ctx) {
          Operand<TBool> kept = isStored(ftf, j);
          Operand<TInt32> slot = ftf.math.floorDiv(j, ftf.constant(k));
          Operand<TInt32> anyShape = ftf.constant(new int[] {-1, -1, -1, unit.channels()});
          State<TFloating> truth =
              new State<>(
                  ftf.tensorListGetItem(frame.get(a), slot, anyShape, type),
                  ftf.tensorListGetItem(frame.get(b), slot, anyShape, type));
          Operand<T> before = frame.get(drift);
          Operand<T> error = ctx.compute(relativeError(ftf, reconstructed, truth));
          frame.set(drift, ftf.select(kept, ftf.math.maximum(before, error), before));
          return new State<>(
              ftf.select(kept, truth.a(), reconstructed.a()),
              ftf.select(kept, truth.b(), reconstructed.b()));
        }

        @Override
        public Operand<T> error(
            Ops tf, LoopState.Outputs outputs, State<TFloating> reconstructed, State<T> truth) {
          return outputs.get(drift);
        }
      };
    }

    private Operand<TBool> isStored(Ops tf, Operand<TInt32> j) {
      return tf.math.equal(tf.math.floorMod(j, tf.constant(k)), tf.constant(0));
    }
  }
}
