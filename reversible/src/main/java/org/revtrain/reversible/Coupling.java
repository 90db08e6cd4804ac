package org.revtrain.reversible;

import java.util.List;
import org.tensorflow.Operand;
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

  /** (P, Q) ↦ (Q, c·P + g(Q)). */
  default <T extends TFloating> State<T> forward(BlockContext<T> context, State<T> s) {
    Operand<T> g = update(context, s.b());
    return new State<>(s.b(), combine(context, s.a(), g));
  }

  /** (Q, R) ↦ (c·(R − g(Q)), Q). */
  default <T extends TFloating> State<T> inverse(BlockContext<T> context, State<T> s) {
    Operand<T> g = update(context, s.a());
    return new State<>(uncombine(context, s.b(), g), s.a());
  }

  /** c·P + g. */
  default <T extends TFloating> Operand<T> combine(BlockContext<T> ctx, Operand<T> p, Operand<T> g) {
    return carry() > 0 ? ctx.tf().math.add(p, g) : ctx.tf().math.sub(g, p);
  }

  /** c·(R − g). */
  default <T extends TFloating> Operand<T> uncombine(
      BlockContext<T> ctx, Operand<T> r, Operand<T> g) {
    return carry() > 0 ? ctx.tf().math.sub(r, g) : ctx.tf().math.sub(g, r);
  }
}
