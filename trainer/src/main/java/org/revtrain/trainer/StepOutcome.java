package org.revtrain.trainer;

import java.util.List;
import java.util.OptionalLong;

/**
 * What one training step measured, before its update.
 *
 * @param loss mean cross-entropy of the batch (without the regularisers)
 * @param accuracy fraction of the batch classified correctly
 * @param reconstructionError largest reconstruction error of any unit (0 in STORED mode)
 * @param unitReconstructionErrors each unit's reconstruction error, bottom unit first
 * @param peakBytes the TensorFlow allocator's peak during a traced step; empty if the step was not
 *     traced or the allocator keeps no totals
 */
public record StepOutcome(
    double loss,
    double accuracy,
    double reconstructionError,
    List<Double> unitReconstructionErrors,
    OptionalLong peakBytes) {
  public StepOutcome {
    unitReconstructionErrors = List.copyOf(unitReconstructionErrors);
  }

  /** Whether the loss is a finite number. */
  public boolean finite() {
    return Double.isFinite(loss);
  }
}
