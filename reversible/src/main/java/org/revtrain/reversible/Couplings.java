package org.revtrain.reversible;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The engine's one forward and one inverse of a {@link Coupling}, and a block's step built from
 * them. The state may be carried in a wider type S than the block's T (see {@link
 * ReversibleUnitBuilder#stateType}), and g may run in a narrower type F (see {@link
 * ReversibleUnitBuilder#fieldType}): g runs on Q rounded to F, with the parameters cast to F
 * ({@link BlockContext#field}), and c·P + g is formed in S.
 */
final class Couplings {
  private Couplings() {}

  /**
   * One coupling inverted: block input (P, Q) from output (Q, R), with the g(Q) and the Q (a leaf:
   * no gradient flows past it) that the backward's vector-Jacobian product differentiates.
   */
  record Inversion<S extends TFloating>(
      State<S> input, Operand<TFloating> q, Operand<TFloating> g) {}

  /** One step Φ_j of any block: the couplings in order, or an explicit block's step. */
  @SuppressWarnings("unchecked")
  static <T extends TFloating, S extends TFloating> State<S> step(
      Block block, BlockContext<T> ctx, State<S> state) {
    if (block instanceof ExplicitBlock explicit) {
      // an explicit unit carries its state in T (the builder refuses a wider one)
      return (State<S>) explicit.forward(ctx, (State<T>) state);
    }
    State<S> s = state;
    for (Coupling c : ((ReversibleBlock) block).couplings()) {
      s = forward(c, ctx, s);
    }
    return s;
  }

  /** (P, Q) ↦ (Q, c·P + g(Q)). */
  static <T extends TFloating, S extends TFloating> State<S> forward(
      Coupling c, BlockContext<T> ctx, State<S> s) {
    BlockContext<TFloating> field = ctx.field();
    Operand<TFloating> g = c.update(field, field.compute(s.b()));
    Ops tf = ctx.tf();
    Operand<S> p = s.a();
    Operand<S> wide = ctx.widen(g, p.type());
    return new State<>(s.b(), c.carry() > 0 ? tf.math.add(p, wide) : tf.math.sub(wide, p));
  }

  /** (Q, R) ↦ (c·(R − g(Q)), Q), with Q a gradient-stopped leaf. */
  static <T extends TFloating, S extends TFloating> Inversion<S> invert(
      Coupling c, BlockContext<T> ctx, State<S> s) {
    Ops tf = ctx.tf();
    BlockContext<TFloating> field = ctx.field();
    Operand<TFloating> q = tf.stopGradient(field.compute(s.a()));
    Operand<TFloating> g = c.update(field, q);
    Operand<S> r = s.b();
    Operand<S> wide = ctx.widen(g, r.type());
    Operand<S> p = c.carry() > 0 ? tf.math.sub(r, wide) : tf.math.sub(wide, r);
    return new Inversion<>(new State<>(p, s.a()), q, g);
  }

  /** The trainable parameters among {@code specs}, by name. */
  static List<String> trainable(List<ParameterSpec> specs) {
    return specs.stream().filter(ParameterSpec::trainable).map(ParameterSpec::name).toList();
  }
}
