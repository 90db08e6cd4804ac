package org.revtrain.models;

import org.revtrain.reversible.GradientMode;
import org.tensorflow.types.family.TFloating;

/**
 * What a {@link BlockKind} needs to build one unit of a network.
 *
 * @param name variable-name prefix, e.g. {@code unit0}
 * @param batchNorm normalise inside the blocks' fields
 * @param blocks n
 * @param channels channels of each state tensor
 * @param stepSizes h_0 … h_{n−1}
 * @param mode how gradients are taken
 * @param seed seed of the initial weights
 * @param float64State carry a reversible unit's state in float64 (see {@link
 *     ModelSpec.Builder#float64State})
 * @param fieldType the type the fields compute in, or null for the network's own (see {@link
 *     ModelSpec.Builder#fieldType})
 */
record UnitConfig(
    String name,
    boolean batchNorm,
    int blocks,
    int channels,
    double[] stepSizes,
    GradientMode mode,
    long seed,
    boolean float64State,
    Class<? extends TFloating> fieldType) {}
