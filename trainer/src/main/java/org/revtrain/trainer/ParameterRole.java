package org.revtrain.trainer;

import org.revtrain.models.NetworkParameter;

/**
 * What a network variable is, for the regularisers: weight decay acts on {@link #WEIGHT}s, the
 * smoothness-in-time regulariser on the {@link #WEIGHT}s and {@link #BIAS}es of units.
 */
public enum ParameterRole {
  /** A convolution kernel or fully-connected matrix: rank ≥ 2 per block. */
  WEIGHT,
  /** A bias vector (rank 1 per block) that is not part of a batch normalisation. */
  BIAS,
  /** A batch-normalisation scale γ or offset β. */
  BATCH_NORM,
  /** A running statistic of batch normalisation: not trained. */
  STATISTIC;

  /** The role of {@code p}, from whether it is trainable, its name and its rank per block. */
  public static ParameterRole of(NetworkParameter<?> p) {
    if (!p.trainable()) {
      return STATISTIC;
    }
    String last = p.name().substring(p.name().lastIndexOf('.') + 1);
    if (last.equals("gamma") || last.equals("beta")) {
      return BATCH_NORM;
    }
    int rankPerBlock = p.variable().shape().numDimensions() - (p.blocks() > 0 ? 1 : 0);
    return rankPerBlock >= 2 ? WEIGHT : BIAS;
  }
}
