package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.NoOp;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The reconstructing backward loop of one training sweep, declared: its variables (the state,
 * carried down from the sweep's output; its adjoint, from the output's gradient; what every block
 * reads; where the gradients go) and its body, for j = n−1 … 0 and for each coupling (P, Q) ↦ (Q,
 * c·P + g(Q)) of block j in reverse order:
 *
 * <pre>
 *   reconstruct:  P = c·(R − g(Q))                  (the inverse; g evaluated once)
 *   local VJP:    dP = c·dR,   dQ += g'(Q)^T dR,   dθ_j += (∂g/∂θ_j)^T dR
 * </pre>
 *
 * where g'(Q)^T dR comes from {@link Graph#addGradients} on the inverse's own g(Q), so the
 * recomputation costs nothing. The only forward tensor the loop reads is the unit's output. Each
 * block's dθ_j goes to a {@link GradientSink}; the next block's inverse waits for the sink's ops,
 * or the executor would run the inverse chain ahead and keep every reconstructed state alive.
 *
 * <p>Declaring adds only the variables' initial values to the graph; the loop's functions ({@link
 * #define}) and its op ({@link #run}) are built apart, so that the functions can be prepared with
 * the forward sweep and the op added where the graph can take nothing else.
 */
final class BackwardLoop<T extends TFloating> {
  private final ReversibleUnit<T> unit;
  private final ReconstructingSweep<T> forward;
  private final LoopState state = new LoopState();
  private final LoopState.Slot<TFloating> a;
  private final LoopState.Slot<TFloating> b;
  private final LoopState.Slot<TFloating> dA;
  private final LoopState.Slot<TFloating> dB;
  private final BlockInputs<T> in;
  private final GradientSink.Declared<T> gradients;
  private final CheckpointPolicy.Reset<T> reset;

  /**
   * Declares the loop's variables.
   *
   * @param dTop the gradient of the sweep's output state, in the unit's state type
   */
  BackwardLoop(
      ReversibleUnit<T> unit,
      Ops tf,
      ReconstructingSweep<T> forward,
      State<TFloating> dTop,
      GradientSink<T> sink,
      CheckpointPolicy policy) {
    this.unit = unit;
    this.forward = forward;
    this.a = state.carried("A", forward.state().a());
    this.b = state.carried("B", forward.state().b());
    this.dA = state.carried("dA", dTop.a());
    this.dB = state.carried("dB", dTop.b());
    this.in = new BlockInputs<>(state, tf, unit, forward.keep(), BlockInputs.Reading.HANDLE);
    this.gradients = sink.declare(state, tf, unit, in);
    this.reset = policy.reset(state, tf, unit, forward.checkpoints());
  }

  /** Builds the loop's functions and attaches them to {@code tf}'s graph. */
  WhileLoop.Functions define(Ops tf) {
    return WhileLoop.Functions.define(tf, unit.blocks(), state, this::block);
  }

  /**
   * Adds the loop op running {@code functions} (this loop's, or those of a loop declared alike) and
   * what reads its results.
   */
  Result<T> run(Ops tf, WhileLoop.Functions functions) {
    LoopState.Outputs outs = new WhileLoop(tf, functions, state).outputs();
    State<TFloating> reconstructed = new State<>(outs.get(a), outs.get(b));
    State<TFloating> dInput = new State<>(outs.get(dA), outs.get(dB));
    State<T> dIn = dInput.as(tf, unit.dtype());
    Operand<T> error = reset.error(tf, outs, reconstructed, forward.input());
    Map<String, Operand<T>> dTheta = gradients.gradients(tf, outs);
    // the loop's outputs exist once its last iteration, and so the last fused update, has run
    List<Op> whole = new ArrayList<>(List.of(dIn.a(), dIn.b(), error, reconstructed.a()));
    whole.addAll(dTheta.values());
    return new Result<>(new UnitGradients<>(dIn, dTheta, error, after(tf, whole)), dInput);
  }

  /**
   * A NoOp that runs after every op of {@code ops}. Built with control inputs rather than {@code
   * tf.withControlDependencies}: inside a TensorFlow gradient function, TensorFlow Java 1.0.0's
   * scope hands TensorFlow only the first of several control dependencies as an array, and crashes.
   */
  private static Op after(Ops tf, List<Op> ops) {
    OperationBuilder b = tf.scope().opBuilder(NoOp.OP_NAME, "done");
    ops.forEach(o -> b.addControlInput(o.op()));
    return new NoOp(b.build());
  }

  /**
   * The loop's results.
   *
   * @param gradients as the unit's API returns them
   * @param dInput the input state's gradient in the unit's state type, before any narrowing
   */
  record Result<T extends TFloating>(UnitGradients<T> gradients, State<TFloating> dInput) {}

  /** Iteration i: block j = n − 1 − i, inverted and differentiated. */
  private void block(Ops ftf, Graph graph, Operand<TInt32> i, LoopState.Frame frame) {
    ReversibleBlock block = (ReversibleBlock) unit.block();
    Operand<TInt32> j = ftf.math.sub(ftf.constant(unit.blocks() - 1), i);
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
      Operand<TFloating> dQ = ftf.math.add(up.a(), ctx.widen(cast(vjp[0]), unit.stateType()));
      s = inv.input();
      up = new State<>(dP, dQ);
    }
    List<Op> done = gradients.accept(ftf, frame, j, ctx, dTheta);
    Ops after = ftf.withControlDependencies(done);
    State<TFloating> below = new State<>(after.identity(s.a()), after.identity(s.b()));
    State<TFloating> input = reset.input(ftf, frame, j, below, ctx);
    frame.set(a, input.a());
    frame.set(b, input.b());
    frame.set(dA, up.a());
    frame.set(dB, up.b());
  }

  @SuppressWarnings("unchecked")
  private static <U extends TFloating> Operand<U> cast(Output<?> o) {
    return (Operand<U>) o;
  }
}
