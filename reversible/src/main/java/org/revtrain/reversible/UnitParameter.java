package org.revtrain.reversible;

import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * One stacked parameter of a unit: the {@link ParameterSpec} of one block and the variable of
 * shape [n, spec.shape...] that holds it for all n blocks.
 */
public record UnitParameter<T extends TFloating>(ParameterSpec spec, Variable<T> variable) {}
