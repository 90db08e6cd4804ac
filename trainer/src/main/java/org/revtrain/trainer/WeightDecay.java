package org.revtrain.trainer;

import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * L2 weight decay on kernels and fully-connected weights ({@link ParameterSpec.Role#WEIGHT}): the
 * penalty (λ/2) ‖W‖², whose gradient λ W is added to the loss gradient. Biases and
 * batch-normalisation parameters are not decayed.
 */
public final class WeightDecay {
  private final double lambda;

  /**
   * @param lambda the weight λ ≥ 0 (0 turns decay off)
   */
  public WeightDecay(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + lambda);
    }
    this.lambda = lambda;
  }

  /** The weight λ. */
  public double lambda() {
    return lambda;
  }

  /** Whether a parameter of {@code role} is decayed. */
  public boolean appliesTo(ParameterSpec.Role role) {
    return lambda > 0 && role == ParameterSpec.Role.WEIGHT;
  }

  /** λ W. */
  public <T extends TFloating> Operand<T> gradient(Ops tf, Operand<T> weights, Class<T> dtype) {
    return tf.math.mul(tf.constant(dtype, lambda), weights);
  }
}
