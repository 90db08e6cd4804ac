package org.revtrain.models;

import java.util.List;

/**
 * One row of the model listing ({@link Models#describe}).
 *
 * @param name e.g. {@code hamiltonian-74}
 * @param kind the block kind
 * @param layers depth in convolution layers: convLayers(kind)·blocks + 2
 * @param blocksPerUnit blocks of each unit
 * @param filters channels of the stem, then of each unit
 * @param parameters trainable scalars for the inputs and classes asked for
 * @param modes the gradient modes the model can train in, e.g. {@code stored}
 */
public record ModelDescription(
    String name,
    BlockKind kind,
    int layers,
    List<Integer> blocksPerUnit,
    List<Integer> filters,
    long parameters,
    String modes) {}
