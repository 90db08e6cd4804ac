package org.revtrain.models;

import org.revtrain.reversible.ResourceVariable;
import org.tensorflow.types.family.TFloating;

/**
 * One variable of a {@link Network}.
 *
 * @param name e.g. {@code stem.K}, {@code unit1.K2}, {@code head.W}
 * @param variable the variable
 * @param trainable false for batch-norm running statistics
 * @param blocks for a unit's parameter, the number of blocks stacked along axis 0; 0 otherwise
 */
public record NetworkParameter<T extends TFloating>(
    String name, ResourceVariable<T> variable, boolean trainable, int blocks) {}
