package org.revtrain.reversible;

import org.tensorflow.types.family.TFloating;

/**
 * One stacked parameter of a unit: the {@link ParameterSpec} of one block and the variable of shape
 * [n, spec.shape...] that holds it for all n blocks. It knows its unit, so a regulariser reads the
 * unit's step sizes from it rather than from a name.
 *
 * @param unit the unit that owns it
 * @param spec the parameter of one block: its name, shape and role
 * @param variable the stacked variable, named {@code <unit>.<spec name>}
 */
public record UnitParameter<T extends TFloating>(
    ReversibleUnit<T> unit, ParameterSpec spec, StackedVariable<T> variable) {

  /** {@return the variable's name, {@code <unit>.<spec name>}, which is also its checkpoint key} */
  public String name() {
    return variable.name();
  }

  /**
   * The variable as a resource variable, whose handle loops and per-block updates use.
   *
   * @return the variable
   * @throws IllegalStateException if the unit keeps reference variables ({@link
   *     ReversibleUnitBuilder#referenceVariables})
   */
  public ResourceVariable<T> resource() {
    if (variable instanceof ResourceVariable<T> r) {
      return r;
    }
    throw new IllegalStateException(
        "unit "
            + unit.name()
            + " keeps its weights in reference variables: "
            + name()
            + " has no handle; build the unit without referenceVariables() for per-block updates");
  }

  @Override
  public String toString() {
    return variable.toString();
  }
}
