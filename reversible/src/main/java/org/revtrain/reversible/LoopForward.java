package org.revtrain.reversible;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * A unit's forward sweep S_{j+1} = Φ_j(S_j), j = 0 … n−1, as one functional while loop: the graph
 * is the same size for any n. In training, each block's batch statistics go into a TensorList per
 * statistic, and a {@link CheckpointPolicy} may store block inputs.
 */
final class LoopForward {
  private LoopForward() {}

  /**
   * The sweep's results.
   *
   * @param state the output state as carried, in the unit's state type
   * @param statistics per running statistic, the batch values of all blocks, [n, C] (training)
   * @param stored what the checkpoint policy stored
   * @param loop the loop op and where its variables are
   */
  record Result<T extends TFloating>(
      State<TFloating> state,
      Map<String, Operand<T>> statistics,
      CheckpointPolicy.Stored stored,
      Loop loop) {}

  /**
   * Where the loop's variables are among its op's inputs (and outputs).
   *
   * @param op the {@code While} op
   * @param a position of the state tensor A
   * @param b position of the state tensor B
   * @param parameters position of each stacked parameter's token, by parameter name
   */
  record Loop(Operation op, int a, int b, Map<String, Integer> parameters) {}

  static <T extends TFloating> Result<T> run(
      ReversibleUnit<T> unit,
      Ops tf,
      State<T> input,
      Phase phase,
      Operand<T> keep,
      CheckpointPolicy policy) {
    boolean training = phase == Phase.TRAINING;
    LoopState state = new LoopState();
    State<TFloating> first = input.as(tf, unit.stateType());
    LoopState.Slot<TFloating> a = state.carried("A", first.a());
    LoopState.Slot<TFloating> b = state.carried("B", first.b());
    Map<String, LoopState.Slot<? extends TType>> statistics = new LinkedHashMap<>();
    Map<String, ParameterSpec> specs = new LinkedHashMap<>();
    if (training) {
      for (UnitParameter<T> p : unit.parameters()) {
        if (!p.spec().trainable()) {
          Operand<?> list =
              tf.tensorListReserve(p.spec().shape(tf), tf.constant(unit.blocks()), unit.dtype());
          statistics.put(p.spec().name(), state.carried("batch." + p.name(), list));
          specs.put(p.spec().name(), p.spec());
        }
      }
    }
    CheckpointPolicy.Recorder recorder = policy.recorder(state, tf, unit);
    // a training loop looks its variables up by name: TensorFlow can differentiate it
    BlockInputs.Reading reading = training ? BlockInputs.Reading.NAME : BlockInputs.Reading.HANDLE;
    BlockInputs<T> in = new BlockInputs<>(state, tf, unit, keep, reading);
    WhileLoop.Body body =
        (ftf, graph, j, frame) -> {
          State<TFloating> s = new State<>(frame.get(a), frame.get(b));
          BlockContext<T> ctx = in.context(ftf, j, frame, phase, training);
          State<TFloating> out = Couplings.step(unit.block(), ctx, s);
          frame.set(a, out.a());
          frame.set(b, out.b());
          Map<String, Operand<T>> recorded = ctx.recordedStatistics();
          statistics.forEach(
              (name, slot) ->
                  frame.set(slot, ftf.tensorListSetItem(frame.get(slot), j, recorded.get(name))));
          recorder.store(ftf, frame, j, s);
        };
    WhileLoop loop =
        new WhileLoop(
            tf, unit.track(WhileLoop.Functions.define(tf, unit.blocks(), state, body)), state);
    LoopState.Outputs outs = loop.outputs();
    State<TFloating> last = new State<>(tf.identity(outs.get(a)), tf.identity(outs.get(b)));
    Map<String, Operand<T>> stacked = new LinkedHashMap<>();
    statistics.forEach(
        (name, slot) ->
            stacked.put(
                name, tf.tensorListStack(outs.get(slot), specs.get(name).shape(tf), unit.dtype())));
    Map<String, Integer> parameters = new LinkedHashMap<>();
    in.parameters().forEach((name, slot) -> parameters.put(name, loop.position(slot)));
    Loop where = new Loop(loop.op(), loop.position(a), loop.position(b), parameters);
    return new Result<>(last, stacked, recorder.stored(outs), where);
  }
}
