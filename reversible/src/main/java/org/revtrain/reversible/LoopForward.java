package org.revtrain.reversible;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
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
   */
  record Result<T extends TFloating>(
      State<TFloating> state, Map<String, Operand<T>> statistics, CheckpointPolicy.Stored stored) {}

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
    BlockInputs<T> in = new BlockInputs<>(state, tf, unit, keep);
    WhileLoop loop =
        unit.track(
            new WhileLoop(
                tf,
                unit.blocks(),
                state,
                (ftf, graph, j, frame) -> {
                  State<TFloating> s = new State<>(frame.get(a), frame.get(b));
                  BlockContext<T> ctx = in.context(ftf, j, frame, phase, training);
                  State<TFloating> out = Couplings.step(unit.block(), ctx, s);
                  frame.set(a, out.a());
                  frame.set(b, out.b());
                  Map<String, Operand<T>> recorded = ctx.recordedStatistics();
                  statistics.forEach(
                      (name, slot) ->
                          frame.set(
                              slot, ftf.tensorListSetItem(frame.get(slot), j, recorded.get(name))));
                  recorder.store(ftf, frame, j, s);
                }));
    LoopState.Outputs outs = loop.outputs();
    State<TFloating> last = new State<>(tf.identity(outs.get(a)), tf.identity(outs.get(b)));
    Map<String, Operand<T>> stacked = new LinkedHashMap<>();
    statistics.forEach(
        (name, slot) ->
            stacked.put(
                name, tf.tensorListStack(outs.get(slot), specs.get(name).shape(tf), unit.dtype())));
    return new Result<>(last, stacked, recorder.stored(outs));
  }
}
