package org.revtrain.models;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.family.TFloating;

/**
 * One training step of a {@link Network}, as built in a graph.
 *
 * @param loss mean softmax cross-entropy of the batch
 * @param logits [N, classes]
 * @param gradients gradient of the loss for every trainable variable, by parameter name, except
 *     those in {@code updatedInBackward}
 * @param statisticUpdates batch-norm running-statistic updates: run them once per step
 * @param reconstructionError the largest reconstruction error of any unit (0 in STORED mode)
 * @param unitReconstructionErrors each unit's reconstruction error, bottom unit first (0 for a
 *     STORED unit)
 * @param updatedInBackward parameters that a {@link org.revtrain.reversible.BlockUpdate} updated
 *     block by block inside the backward pass (their gradients are never held whole)
 */
public record TrainingStep<T extends TFloating>(
    Operand<T> loss,
    Operand<T> logits,
    Map<String, Operand<T>> gradients,
    List<Op> statisticUpdates,
    Operand<T> reconstructionError,
    List<Operand<T>> unitReconstructionErrors,
    Set<String> updatedInBackward) {
  /**
   * Copies the units' errors.
   *
   * @param loss the mean softmax cross-entropy
   * @param logits [N, classes]
   * @param gradients the gradients not consumed inside a backward pass, by variable name
   * @param statisticUpdates the running statistics' moving-average updates
   * @param reconstructionError the largest of the units' reconstruction errors
   * @param unitReconstructionErrors each unit's, bottom to top
   * @param updatedInBackward the parameters updated block by block inside a backward pass
   */
  public TrainingStep {
    unitReconstructionErrors = List.copyOf(unitReconstructionErrors);
  }
}
