package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.Coupling;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A {@link Coupling} whose update is built from one vector field: g(Q) = scheme(Q, κ F(Q)), with κ
 * the block's residual factor (stochastic depth drops the field, never the rest of the scheme).
 */
final class FieldCoupling implements Coupling {

  /** How a block kind turns Q and κF(Q) into its update g(Q). */
  @FunctionalInterface
  interface Scheme {
    <T extends TFloating> Operand<T> update(BlockContext<T> ctx, Operand<T> q, Operand<T> field);
  }

  private final int carry;
  private final VectorField field;
  private final Scheme scheme;

  FieldCoupling(int carry, VectorField field, Scheme scheme) {
    this.carry = carry;
    this.field = field;
    this.scheme = scheme;
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
