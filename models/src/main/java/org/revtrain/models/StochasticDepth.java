package org.revtrain.models;

import java.util.Arrays;
import org.revtrain.reversible.Phase;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Stochastic depth with linearly decaying survival (Huang et al. 2016, as in Lu et al. 2018): block
 * l = 1 … L of the network keeps its residual in a training step with probability
 *
 * <pre>  p_l = 1 − (l/L)(1 − p_L),</pre>
 *
 * i.e. the residual is multiplied by κ_l = ⌊p_l + U_l⌋ ∈ {0, 1}, U_l ~ U[0, 1) from a stateless
 * generator seeded per step (so a reconstruction can replay the same draws); at inference κ_l = p_l
 * (survival rescaling). With p_L = 1 every κ_l is 1 and no factors are built.
 */
final class StochasticDepth {
  private final double[] survival;
  private final boolean enabled;

  StochasticDepth(int totalBlocks, double finalSurvival) {
    this.enabled = finalSurvival < 1.0;
    this.survival = new double[totalBlocks];
    for (int l = 0; l < totalBlocks; l++) {
      survival[l] = 1 - ((l + 1.0) / totalBlocks) * (1 - finalSurvival);
    }
  }

  /**
   * The factors κ of blocks {@code first} … {@code first + n − 1} (one unit), or null when
   * stochastic depth is off.
   *
   * @param dropSeed [2] seed of this step's draws; needed in training
   * @param unit distinguishes the units' streams
   */
  <T extends TFloating> Operand<T> factors(
      Ops tf, Class<T> dtype, int first, int n, Phase phase, Operand<TInt64> dropSeed, int unit) {
    if (!enabled) {
      return null;
    }
    double[] p = Arrays.copyOfRange(survival, first, first + n);
    Operand<T> probs = tf.dtypes.cast(tf.constant(p), dtype);
    if (phase == Phase.INFERENCE) {
      return probs;
    }
    if (dropSeed == null) {
      throw new IllegalArgumentException(
          "stochastic depth needs a drop seed for the training step");
    }
    Operand<TInt64> unitSeed =
        tf.math.add(dropSeed, tf.constant(new long[] {0, 7919L * (unit + 1)}));
    Operand<T> uniform =
        tf.random.statelessRandomUniform(tf.constant(new int[] {n}), unitSeed, dtype);
    return tf.math.floor(tf.math.add(probs, uniform));
  }
}
