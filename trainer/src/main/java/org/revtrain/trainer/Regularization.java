package org.revtrain.trainer;

import java.util.Map;
import org.revtrain.models.Network;
import org.revtrain.models.NetworkParameter;
import org.revtrain.reversible.BlockUpdate;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.UnitParameter;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The gradient the optimizer descends for one parameter: the loss gradient plus the analytic
 * gradients of {@link WeightDecay} and the {@link SmoothnessRegularizer}, either for a whole
 * variable ({@link #total}) or for block j's slice inside a reconstructing backward loop ({@link
 * #totalOfBlock}). Which terms apply follows from the parameter's role; the smoothness term reads
 * its unit's step sizes from the unit parameter itself.
 */
final class Regularization<T extends TFloating> {
  private final WeightDecay decay;
  private final SmoothnessRegularizer smooth;
  private final Map<String, NetworkParameter<T>> parameters;
  private final Class<T> dtype;

  Regularization(TrainingConfig config, Network<T> net, Class<T> dtype) {
    this.decay = new WeightDecay(config.weightDecay());
    this.smooth = new SmoothnessRegularizer(config.smoothness());
    this.parameters = net.parameters();
    this.dtype = dtype;
  }

  /** ∂L/∂θ + λθ (weights) + ∂R/∂θ (unit kernels and biases) for the variable {@code name}. */
  Operand<T> total(Ops tf, String name, Operand<T> lossGradient) {
    NetworkParameter<T> p = parameters.get(name);
    if (p == null) {
      throw new IllegalArgumentException("the network has no parameter " + name);
    }
    boolean decays = decay.appliesTo(p.role());
    boolean smooths = smooth.appliesTo(p.role(), p.blocks());
    if (!decays && !smooths) {
      return lossGradient;
    }
    Operand<T> theta = p.variable().read(tf);
    Operand<T> g = lossGradient;
    if (decays) {
      g = tf.math.add(g, decay.gradient(tf, theta, dtype));
    }
    if (smooths) {
      double[] h = p.unitParameter().orElseThrow().unit().stepSizes();
      g = tf.math.add(g, smooth.gradient(tf, theta, h, dtype));
    }
    return g;
  }

  /** The same for block j's slice, from the slice alone. */
  Operand<T> totalOfBlock(Ops tf, BlockUpdate.Slice<T> slice) {
    UnitParameter<T> p = slice.parameter();
    ParameterSpec.Role role = p.spec().role();
    Operand<T> g = slice.gradient();
    if (decay.appliesTo(role)) {
      g = tf.math.add(g, decay.gradient(tf, slice.value(), dtype));
    }
    if (smooth.appliesTo(role, p.unit().blocks())) {
      g = tf.math.add(g, smooth.blockGradient(tf, slice, p.unit().stepSizes(), dtype));
    }
    return g;
  }
}
