package org.revtrain.reversible;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.revtrain.reversible.block.AdditiveCouplingBlock;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.revtrain.reversible.block.LeapfrogBlock;
import org.revtrain.reversible.block.MidpointBlock;

/** Every reversible block kind, for parameterised tests. */
final class BlockKinds {
  private BlockKinds() {}

  static Stream<Arguments> all() {
    return Stream.of(
        Arguments.of("hamiltonian", new HamiltonianBlock(false)),
        Arguments.of("hamiltonian+bn", new HamiltonianBlock(true)),
        Arguments.of("midpoint", new MidpointBlock(false)),
        Arguments.of("midpoint-antisymmetric", new MidpointBlock(true)),
        Arguments.of("leapfrog", new LeapfrogBlock()),
        Arguments.of("revnet", new AdditiveCouplingBlock(false)),
        Arguments.of("revnet+bn", new AdditiveCouplingBlock(true)));
  }
}
