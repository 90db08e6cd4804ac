package org.revtrain.trainer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.revtrain.models.Network;
import org.revtrain.models.NetworkParameter;
import org.revtrain.models.Unit;
import org.revtrain.reversible.BlockUpdate;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The gradient the optimizer descends for one parameter: the loss gradient plus the analytic
 * gradients of {@link WeightDecay} and the {@link SmoothnessRegularizer}, either for a whole
 * variable ({@link #total}) or for block j's slice inside a reconstructing backward loop ({@link
 * #totalOfBlock}).
 */
final class Regularization<T extends TFloating> {
  private final WeightDecay decay;
  private final SmoothnessRegularizer smooth;
  private final Map<String, NetworkParameter<T>> parameters;
  private final Map<String, double[]> stepSizes = new LinkedHashMap<>();
  private final Class<T> dtype;

  Regularization(TrainingConfig config, Network<T> net, Class<T> dtype) {
    this.decay = new WeightDecay(config.weightDecay());
    this.smooth = new SmoothnessRegularizer(config.smoothness());
    this.parameters = net.parameters();
    this.dtype = dtype;
    for (Unit<T> u : net.networkUnits()) {
      stepSizes.put(u.name(), u.stepSizes());
    }
  }

  /** ∂L/∂θ + λθ (weights) + ∂R/∂θ (unit kernels and biases) for the variable {@code name}. */
  Operand<T> total(Ops tf, String name, Operand<T> lossGradient) {
    NetworkParameter<T> p = parameter(name);
    boolean decays = decay.appliesTo(p);
    boolean smooths = smooth.appliesTo(p);
    if (!decays && !smooths) {
      return lossGradient;
    }
    Operand<T> theta = p.variable().read(tf);
    Operand<T> g = lossGradient;
    if (decays) {
      g = tf.math.add(g, decay.gradient(tf, theta, dtype));
    }
    if (smooths) {
      g = tf.math.add(g, smooth.gradient(tf, theta, unitStepSizes(name), dtype));
    }
    return g;
  }

  /** The same for block j's slice, from the slice alone. */
  Operand<T> totalOfBlock(Ops tf, BlockUpdate.Slice<T> slice) {
    String name = slice.parameter().variable().name();
    NetworkParameter<T> p = parameter(name);
    Operand<T> g = slice.gradient();
    if (decay.appliesTo(p)) {
      g = tf.math.add(g, decay.gradient(tf, slice.value(), dtype));
    }
    if (smooth.appliesTo(p)) {
      g = tf.math.add(g, smooth.blockGradient(tf, slice, unitStepSizes(name), dtype));
    }
    return g;
  }

  private NetworkParameter<T> parameter(String name) {
    NetworkParameter<T> p = parameters.get(name);
    if (p == null) {
      throw new IllegalArgumentException("the network has no parameter " + name);
    }
    return p;
  }

  private double[] unitStepSizes(String name) {
    return stepSizes.get(name.substring(0, name.indexOf('.')));
  }
}
