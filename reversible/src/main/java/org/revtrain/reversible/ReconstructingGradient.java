package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * REVERSIBLE and CHECKPOINT(k): the forward sweep is a loop that keeps its output state only (and
 * what the {@link CheckpointPolicy} stores); the backward is a loop from the top, for j = n−1 … 0
 * and for each coupling (P, Q) ↦ (Q, c·P + g(Q)) of block j in reverse order:
 *
 * <pre>
 *   reconstruct:  P = c·(R − g(Q))                  (the inverse; g evaluated once)
 *   local VJP:    dP = c·dR,   dQ += g'(Q)^T dR,   dθ_j += (∂g/∂θ_j)^T dR
 * </pre>
 *
 * where g'(Q)^T dR comes from {@link Graph#addGradients} on the inverse's own g(Q), so the
 * recomputation costs nothing. The only forward tensor the backward reads is the unit's output.
 * Each block's dθ_j goes to a {@link GradientSink}; the next block's inverse waits for the sink's
 * ops, or the executor would run the inverse chain ahead and keep every reconstructed state alive.
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
    return new ReconstructingSweep<>(
        unit, input, r.state().as(tf, unit.dtype()), r.statistics(), keep, r.state(), r.stored());
  }

  @Override
  public <T extends TFloating> UnitGradients<T> backward(
      ReversibleUnit<T> unit,
      Ops tf,
      Sweep<T> sweep,
      State<T> dOutput,
      Optional<BlockUpdate<T>> update) {
    ReconstructingSweep<T> forward = (ReconstructingSweep<T>) sweep;
    ReversibleBlock block = (ReversibleBlock) unit.block();
    GradientSink<T> sink = update.map(GradientSink::fused).orElseGet(GradientSink::collect);

    LoopState state = new LoopState();
    State<TFloating> dTop = dOutput.as(tf, unit.stateType());
    LoopState.Slot<TFloating> a = state.carried("A", forward.state().a());
    LoopState.Slot<TFloating> b = state.carried("B", forward.state().b());
    LoopState.Slot<TFloating> dA = state.carried("dA", dTop.a());
    LoopState.Slot<TFloating> dB = state.carried("dB", dTop.b());
    BlockInputs<T> in = new BlockInputs<>(state, tf, unit, forward.keep());
    GradientSink.Declared<T> gradients = sink.declare(state, tf, unit, in);
    CheckpointPolicy.Reset<T> reset = policy.reset(state, tf, unit, forward.checkpoints());

    int n = unit.blocks();
    WhileLoop loop =
        unit.track(
            new WhileLoop(
                tf,
                n,
                state,
                (ftf, graph, i, frame) -> {
                  Operand<TInt32> j = ftf.math.sub(ftf.constant(n - 1), i);
                  BlockContext<T> ctx = in.context(ftf, j, frame, Phase.TRAINING, false);
                  State<TFloating> s = new State<>(frame.get(a), frame.get(b));
                  State<TFloating> up = new State<>(frame.get(dA), frame.get(dB));
                  Map<String, Operand<T>> dTheta = new LinkedHashMap<>();
                  List<Coupling> couplings = block.couplings();
                  for (int c = couplings.size() - 1; c >= 0; c--) {
                    Coupling coupling = couplings.get(c);
                    Couplings.Inversion<TFloating> inv = Couplings.invert(coupling, ctx, s);
                    List<String> own = Couplings.trainable(coupling.parameters(unit.channels()));
                    Output<?>[] x = new Output<?>[own.size() + 1];
                    x[0] = inv.q().asOutput();
                    for (int k = 0; k < own.size(); k++) {
                      x[k + 1] = ctx.parameter(own.get(k)).asOutput();
                    }
                    Output<?>[] vjp =
                        graph.addGradients(
                            "vjp" + c,
                            new Output<?>[] {inv.g().asOutput()},
                            x,
                            new Output<?>[] {ctx.field().compute(up.b()).asOutput()});
                    for (int k = 0; k < own.size(); k++) {
                      dTheta.put(own.get(k), cast(vjp[k + 1]));
                    }
                    Operand<TFloating> dP = coupling.carry() > 0 ? up.b() : ftf.math.neg(up.b());
                    Operand<TFloating> dQ =
                        ftf.math.add(up.a(), ctx.widen(cast(vjp[0]), unit.stateType()));
                    s = inv.input();
                    up = new State<>(dP, dQ);
                  }
                  List<Op> done = gradients.accept(ftf, frame, j, ctx, dTheta);
                  Ops after = ftf.withControlDependencies(done);
                  State<TFloating> below =
                      new State<>(after.identity(s.a()), after.identity(s.b()));
                  State<TFloating> input = reset.input(ftf, frame, j, below, ctx);
                  frame.set(a, input.a());
                  frame.set(b, input.b());
                  frame.set(dA, up.a());
                  frame.set(dB, up.b());
                }));
    LoopState.Outputs outs = loop.outputs();
    State<TFloating> reconstructed = new State<>(outs.get(a), outs.get(b));
    State<T> dIn = new State<>(outs.get(dA), outs.get(dB)).as(tf, unit.dtype());
    Operand<T> error = reset.error(tf, outs, reconstructed, forward.input());
    Map<String, Operand<T>> dTheta = gradients.gradients(tf, outs);
    // the loop's outputs exist once its last iteration, and so the last fused update, has run
    List<Op> whole = new ArrayList<>(List.of(dIn.a(), dIn.b(), error, reconstructed.a()));
    whole.addAll(dTheta.values());
    Op done = tf.withControlDependencies(whole).noOp();
    return new UnitGradients<>(dIn, dTheta, error, done);
  }

  @SuppressWarnings("unchecked")
  private static <U extends TFloating> Operand<U> cast(Output<?> o) {
    return (Operand<U>) o;
  }
}
