package org.revtrain.models.block;

import java.util.List;
import org.revtrain.reversible.ExplicitBlock;
import org.revtrain.reversible.ParameterSpec;

/**
 * An explicit integrator step whose right-hand side is one {@link PreActivationField} F_j per block
 * (shared by all the step's stages): forward Euler, RK4 and the linear multi-step scheme differ
 * only in how they combine evaluations of F_j.
 */
abstract sealed class PreActivationStep implements ExplicitBlock
    permits ForwardEulerBlock, RungeKutta4Block, LinearMultistepBlock {
  /** The right-hand side F_j. */
  protected final PreActivationField field;

  /**
   * @param batchNorm normalise inside F
   */
  protected PreActivationStep(boolean batchNorm) {
    this.field = new PreActivationField(batchNorm);
  }

  @Override
  public List<ParameterSpec> parameters(int channels) {
    return field.parameters(channels);
  }

  /** One-step schemes read Y_j only; the multi-step scheme overrides this. */
  @Override
  public boolean readsFirstTensor() {
    return false;
  }
}
