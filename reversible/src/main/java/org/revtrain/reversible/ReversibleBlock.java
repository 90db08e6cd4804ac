package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A reversible block: a chain of {@link Coupling}s c_1 … c_m, applied in order by the forward pass
 * and undone in reverse order by the inverse,
 *
 * <pre>
 *   forward:  S ↦ c_m ∘ … ∘ c_1 (S)
 *   inverse:  S ↦ c_1⁻¹ ∘ … ∘ c_m⁻¹ (S)
 * </pre>
 *
 * A block kind only names its couplings: the engine ({@link ReversibleUnit}) owns the forward pass,
 * the one inverse and the backward pass built from them, so forward and inverse cannot disagree.
 */
public non-sealed interface ReversibleBlock extends Block {

  /**
   * The couplings, applied first to last by the forward pass.
   *
   * @return the couplings in forward order, never empty; the inverse applies them last to first
   */
  List<Coupling> couplings();

  /**
   * The parameters of every coupling, in order.
   *
   * @throws IllegalStateException if two couplings name the same parameter
   */
  @Override
  default List<ParameterSpec> parameters(int channels) {
    List<ParameterSpec> all = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Coupling c : couplings()) {
      for (ParameterSpec p : c.parameters(channels)) {
        if (!names.add(p.name())) {
          throw new IllegalStateException(
              getClass().getSimpleName() + ": two couplings name the parameter " + p.name());
        }
        all.add(p);
      }
    }
    return all;
  }
}
