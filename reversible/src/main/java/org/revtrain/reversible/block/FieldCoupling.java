package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.Coupling;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A {@link Coupling} whose update is built from one vector field F: g(Q) = scheme(Q, κ F(Q)), with
 * κ the block's residual factor (stochastic depth drops the field, never the rest of the scheme).
 * Every block kind here is a chain of these; a new kind needs only a {@link VectorField} and a
 * scheme.
 */
public final class FieldCoupling implements Coupling {

  /** How a block kind turns Q and κF(Q) into its update g(Q), e.g. g = h·κF(Q). */
  @FunctionalInterface
  public interface Scheme {
    /**
     * The update g(Q).
     *
     * @param <T> the block's type
     * @param ctx block j's step size and parameters
     * @param q Q
     * @param field κF(Q)
     * @return g(Q), of Q's shape
     */
    <T extends TFloating> Operand<T> update(BlockContext<T> ctx, Operand<T> q, Operand<T> field);
  }

  private final int carry;
  private final VectorField field;
  private final Scheme scheme;

  /**
   * @param carry c = +1 or −1
   * @param field F
   * @param scheme g from Q and κF(Q)
   */
  public FieldCoupling(int carry, VectorField field, Scheme scheme) {
    if (carry != 1 && carry != -1) {
      throw new IllegalArgumentException("a coupling's carry is +1 or -1, got " + carry);
    }
    this.carry = carry;
    this.field = field;
    this.scheme = scheme;
  }

  /**
   * The additive coupling (P, Q) ↦ (Q, P + κF(Q)) of RevNet.
   *
   * @param field F
   * @return the coupling
   */
  public static FieldCoupling additive(VectorField field) {
    return new FieldCoupling(+1, field, FieldCoupling::plain);
  }

  private static <T extends TFloating> Operand<T> plain(
      BlockContext<T> ctx, Operand<T> q, Operand<T> f) {
    return f;
  }

  @Override
  public int carry() {
    return carry;
  }

  @Override
  public List<ParameterSpec> parameters(int channels) {
    return field.parameters(channels);
  }

  @Override
  public <T extends TFloating> Operand<T> update(BlockContext<T> ctx, Operand<T> q) {
    Operand<T> f = ctx.tf().math.mul(ctx.keep(), field.apply(ctx, q));
    return scheme.update(ctx, q, f);
  }
}
