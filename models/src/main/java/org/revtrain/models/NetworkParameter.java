package org.revtrain.models;

import java.util.Optional;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.ResourceVariable;
import org.revtrain.reversible.UnitParameter;
import org.tensorflow.types.family.TFloating;

/**
 * One variable of a {@link Network}, with what it is as values: its role (which decides whether it
 * is trained and regularised) and, for a unit's stacked parameter, the unit parameter it is (whose
 * unit has the step sizes a smoothness regulariser needs).
 *
 * @param name e.g. {@code stem.K}, {@code unit1.K2}, {@code head.W}
 * @param variable the variable
 * @param role what the parameter is
 * @param unitParameter the unit's stacked parameter, or empty for the stem's and head's
 */
public record NetworkParameter<T extends TFloating>(
    String name,
    ResourceVariable<T> variable,
    ParameterSpec.Role role,
    Optional<UnitParameter<T>> unitParameter) {

  /** A unit's stacked parameter. */
  static <T extends TFloating> NetworkParameter<T> of(UnitParameter<T> p) {
    return new NetworkParameter<>(p.name(), p.resource(), p.spec().role(), Optional.of(p));
  }

  /** A parameter of the stem or the head. */
  static <T extends TFloating> NetworkParameter<T> plain(
      ParameterSpec spec, ResourceVariable<T> variable) {
    return new NetworkParameter<>(spec.name(), variable, spec.role(), Optional.empty());
  }

  /** {@return false for batch-norm running statistics} */
  public boolean trainable() {
    return role.trainable();
  }

  /** {@return for a unit's parameter, the number of blocks stacked along axis 0; 0 otherwise} */
  public int blocks() {
    return unitParameter.map(p -> p.unit().blocks()).orElse(0);
  }
}
