package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * REVERSIBLE and CHECKPOINT(k): the forward sweep is a loop that keeps its output state only (and
 * what the {@link CheckpointPolicy} stores); the backward is a {@link BackwardLoop} from the top
 * that reconstructs each block's input by inverting the block.
 *
 * <p>The backward is also TensorFlow's gradient of the forward loop ({@link GradientRules}), so
 * that {@link Graph#addGradients} passes through the unit: its functions are prepared with every
 * training sweep, and the gradient function adds the loop op alone.
 */
final class ReconstructingGradient implements GradientStrategy {
  private final CheckpointPolicy policy;

  ReconstructingGradient(CheckpointPolicy policy) {
    this.policy = policy;
  }

  @Override
  public <T extends TFloating> Sweep<T> forward(
      ReversibleUnit<T> unit, Ops tf, State<T> input, Operand<T> keep) {
    LoopForward.Result<T> r = LoopForward.run(unit, tf, input, Phase.TRAINING, keep, policy);
    ReconstructingSweep<T> sweep =
        new ReconstructingSweep<>(
            unit,
            input,
            unit.trainingOutput(tf, r.state().as(tf, unit.dtype()), r.statistics()),
            r.statistics(),
            keep,
            r.state(),
            r.stored());
    // declared from the output state itself: the adjoint has its type and shape
    BackwardLoop<T> shape =
        new BackwardLoop<>(unit, tf, sweep, r.state(), GradientSink.collect(), policy);
    sweep.prepare(unit.track(shape.define(tf)));
    LoopForward.Loop loop = r.loop();
    unit.track(
        GradientRules.register(
            loop.op(), (gtf, upstream) -> loopGradient(unit, gtf, sweep, loop, upstream)));
    return sweep;
  }

  /**
   * TensorFlow's gradient of the forward loop: the backward loop from the upstream gradient of the
   * loop's output state, giving the gradient of its input state and of every trainable parameter's
   * variable handle, and zeros for its other inputs, which no gradient passes through.
   */
  private <T extends TFloating> List<Operand<?>> loopGradient(
      ReversibleUnit<T> unit,
      Ops tf,
      ReconstructingSweep<T> sweep,
      LoopForward.Loop loop,
      List<Output<?>> upstream) {
    Operation op = loop.op();
    State<TFloating> dTop =
        new State<>(orZeros(tf, op, upstream, loop.a()), orZeros(tf, op, upstream, loop.b()));
    BackwardLoop.Result<T> r =
        new BackwardLoop<>(unit, tf, sweep, dTop, GradientSink.collect(), policy)
            .run(tf, sweep.backward());
    Map<Integer, Operand<?>> reached = new HashMap<>();
    reached.put(loop.a(), r.dInput().a());
    reached.put(loop.b(), r.dInput().b());
    r.gradients().parameters().forEach((name, d) -> reached.put(loop.parameters().get(name), d));
    // a While op's outputs mirror its inputs, one for one: zeros of each unreached input's kind
    List<Operand<?>> grads = new ArrayList<>();
    for (int k = 0; k < op.numOutputs(); k++) {
      Operand<?> d = reached.get(k);
      grads.add(d != null ? d : tf.zerosLike(op.output(k)));
    }
    return grads;
  }

  private static Operand<TFloating> orZeros(Ops tf, Operation op, List<Output<?>> upstream, int k) {
    Output<?> d = upstream.get(k);
    return d != null ? cast(d) : cast(tf.zerosLike(op.output(k)).asOutput());
  }

  @Override
  public <T extends TFloating> UnitGradients<T> backward(
      ReversibleUnit<T> unit,
      Ops tf,
      Sweep<T> sweep,
      State<T> dOutput,
      Optional<BlockUpdate<T>> update) {
    ReconstructingSweep<T> forward = (ReconstructingSweep<T>) sweep;
    State<TFloating> dTop = dOutput.as(tf, unit.stateType());
    if (update.isEmpty()) {
      return new BackwardLoop<>(unit, tf, forward, dTop, GradientSink.collect(), policy)
          .run(tf, forward.backward())
          .gradients();
    }
    BackwardLoop<T> loop =
        new BackwardLoop<>(unit, tf, forward, dTop, GradientSink.fused(update.get()), policy);
    return loop.run(tf, unit.track(loop.define(tf))).gradients();
  }

  @SuppressWarnings("unchecked")
  private static <U extends TFloating> Operand<U> cast(Output<?> o) {
    return (Operand<U>) o;
  }
}
