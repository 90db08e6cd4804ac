package org.revtrain.reversible;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * An additive coupling with a swap, the building step of every reversible block here:
 *
 * <pre>
 *   forward:  (P, Q) ↦ (Q, R),   R = c·P + g(Q)
 *   inverse:  (Q, R) ↦ (P, Q),   P = c·(R − g(Q))
 * </pre>
 *
 * with carry c = ±1 and an update g that may be any function of Q and the block's parameters. The
 * inverse evaluates g at Q, the very tensor the forward evaluated it at, so the backward pass takes
 * g's vector-Jacobian product from the inverse's own intermediates: no recomputation.
 */
public interface Coupling {

  /** The carry c: +1 or −1. */
  int carry();

  /** The parameters this coupling's update reads, for a state tensor of {@code channels}. */
  List<ParameterSpec> parameters(int channels);

  /** The update g(Q). */
  <T extends TFloating> Operand<T> update(BlockContext<T> context, Operand<T> q);

  /**
   * (P, Q) ↦ (Q, c·P + g(Q)). The state may be carried in a wider type S than the block's T (see
   * {@link ReversibleUnit.Builder#stateType}): g runs on Q rounded to T, and c·P + g is formed in S.
   */
  default <T extends TFloating, S extends TFloating> State<S> forward(
      BlockContext<T> context, State<S> s) {
    Operand<T> g = update(context, context.compute(s.b()));
    return new State<>(s.b(), combine(context.tf(), s.a(), context.widen(g, s.a().type())));
  }

  /** (Q, R) ↦ (c·(R − g(Q)), Q). */
  default <T extends TFloating, S extends TFloating> State<S> inverse(
      BlockContext<T> context, State<S> s) {
    Operand<T> g = update(context, context.compute(s.a()));
    return new State<>(uncombine(context.tf(), s.b(), context.widen(g, s.a().type())), s.a());
  }

  /** c·P + g. */
  default <S extends TFloating> Operand<S> combine(Ops tf, Operand<S> p, Operand<S> g) {
    return carry() > 0 ? tf.math.add(p, g) : tf.math.sub(g, p);
  }

  /** c·(R − g). */
  default <S extends TFloating> Operand<S> uncombine(Ops tf, Operand<S> r, Operand<S> g) {
    return carry() > 0 ? tf.math.sub(r, g) : tf.math.sub(g, r);
  }
}
