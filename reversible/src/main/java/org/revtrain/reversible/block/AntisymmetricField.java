package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The antisymmetric field F(Y) = σ((K − K^T) Y + b): its Jacobian has (near) imaginary eigenvalues,
 * the regime in which the midpoint scheme is stable. Parameters {@code K<s>}, {@code b<s>}.
 */
public final class AntisymmetricField implements VectorField {
  private final String suffix;

  /**
   * A field whose parameters are named {@code K<suffix>} and {@code b<suffix>}.
   *
   * @param suffix appended to the parameter names so that several fields in one block stay
   *     distinct; may be empty
   */
  public AntisymmetricField(String suffix) {
    this.suffix = suffix;
  }

  @Override
  public List<ParameterSpec> parameters(int channels) {
    return List.of(
        ParameterSpec.kernel("K" + suffix, channels, channels),
        ParameterSpec.bias("b" + suffix, channels));
  }

  @Override
  public <T extends TFloating> Operand<T> apply(BlockContext<T> ctx, Operand<T> y) {
    Ops tf = ctx.tf();
    Operand<T> k = ctx.parameter("K" + suffix);
    Operand<T> skew = tf.math.sub(Convolutions.apply(tf, k, y), Convolutions.adjoint(tf, k, y, y));
    return tf.nn.relu(tf.nn.biasAdd(skew, ctx.parameter("b" + suffix)));
  }
}
