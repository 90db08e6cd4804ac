package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.Coupling;
import org.revtrain.reversible.ReversibleBlock;
import org.revtrain.reversible.StateLayout;

/** What every block kind here shares: a name, a state layout, a layer count and its couplings. */
abstract class CouplingChain implements ReversibleBlock {
  private final String kind;
  private final StateLayout layout;
  private final int convLayers;
  private final List<Coupling> couplings;

  CouplingChain(String kind, StateLayout layout, int convLayers, List<Coupling> couplings) {
    this.kind = kind;
    this.layout = layout;
    this.convLayers = convLayers;
    this.couplings = List.copyOf(couplings);
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final List<Coupling> couplings() {
    return couplings;
  }

  @Override
  public final StateLayout layout() {
    return layout;
  }

  @Override
  public final int convLayers() {
    return convLayers;
  }
}
