package org.revtrain.reversible;

import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * How a unit builds its training sweep and the vector-Jacobian product of that sweep,
 *
 * <pre>  (dS_0, dθ) = ((∂S_n/∂S_0)^T dS_n, (∂S_n/∂θ)^T dS_n):</pre>
 *
 * by plain autodiff of the unrolled blocks ({@link StoredGradient}) or by reconstructing each
 * block's input from the top ({@link ReconstructingGradient}, with a {@link CheckpointPolicy}).
 */
sealed interface GradientStrategy permits StoredGradient, ReconstructingGradient {

  /** The strategy of {@code mode}. */
  static GradientStrategy of(GradientMode mode) {
    return mode instanceof GradientMode.Stored
        ? new StoredGradient()
        : new ReconstructingGradient(CheckpointPolicy.of(mode));
  }

  /** Builds a TRAINING sweep from the input leaves {@code input} with residual factors κ. */
  <T extends TFloating> Sweep<T> forward(
      ReversibleUnit<T> unit, Ops tf, State<T> input, Operand<T> keep);

  /**
   * Builds the backward pass of {@code sweep}, a TRAINING sweep of {@code unit} built by this
   * strategy, with the per-block {@code update} applied inside it when present.
   */
  <T extends TFloating> UnitGradients<T> backward(
      ReversibleUnit<T> unit,
      Ops tf,
      Sweep<T> sweep,
      State<T> dOutput,
      Optional<BlockUpdate<T>> update);
}
