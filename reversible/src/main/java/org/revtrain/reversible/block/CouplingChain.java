package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.Coupling;
import org.revtrain.reversible.ReversibleBlock;

/** A block kind given by its list of couplings, the whole of a reversible block's contract. */
abstract class CouplingChain implements ReversibleBlock {
  private final List<Coupling> couplings;

  CouplingChain(List<Coupling> couplings) {
    this.couplings = List.copyOf(couplings);
  }

  @Override
  public final List<Coupling> couplings() {
    return couplings;
  }
}
