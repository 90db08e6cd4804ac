package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.types.family.TFloating;

/**
 * A reversible block: a composition of {@link Coupling}s, so that {@code forward} and {@code
 * inverse} are exact inverses of each other and the backward pass (in {@link ReversibleUnit}) is
 * shared by every block kind.
 */
public interface ReversibleBlock {

  /** Short name of the kind, e.g. {@code hamiltonian}. */
  String kind();

  /** The couplings, applied first to last by {@code forward}. */
  List<Coupling> couplings();

  /**
   * Whether the state is two channel halves of one tensor (Hamiltonian, RevNet) or two time levels
   * (midpoint, leapfrog).
   */
  StateLayout layout();

  /** Convolution layers per block, for the layer-count convention depth = layers·blocks + 2. */
  int convLayers();

  /** All parameters of one block whose state tensors have {@code channels} channels. */
  default List<ParameterSpec> parameters(int channels) {
    List<ParameterSpec> all = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Coupling c : couplings()) {
      for (ParameterSpec p : c.parameters(channels)) {
        if (!names.add(p.name())) {
          throw new IllegalStateException(kind() + ": duplicate parameter name " + p.name());
        }
        all.add(p);
      }
    }
    return all;
  }

  /** Applies the couplings in order. */
  default <T extends TFloating, S extends TFloating> State<S> forward(
      BlockContext<T> context, State<S> state) {
    State<S> s = state;
    for (Coupling c : couplings()) {
      s = c.forward(context, s);
    }
    return s;
  }

  /** Undoes the couplings in reverse order: inverse(forward(x)) = x up to rounding. */
  default <T extends TFloating, S extends TFloating> State<S> inverse(
      BlockContext<T> context, State<S> state) {
    List<Coupling> cs = couplings();
    State<S> s = state;
    for (int i = cs.size() - 1; i >= 0; i--) {
      s = cs.get(i).inverse(context, s);
    }
    return s;
  }
}
