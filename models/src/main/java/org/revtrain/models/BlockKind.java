package org.revtrain.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import org.revtrain.reversible.ReversibleBlock;
import org.revtrain.reversible.block.AdditiveCouplingBlock;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.revtrain.reversible.block.LeapfrogBlock;
import org.revtrain.reversible.block.MidpointBlock;

/** The reversible block kinds a model can be made of, by name: the one place kinds are chosen. */
public enum BlockKind {
  HAMILTONIAN("hamiltonian", HamiltonianBlock::new),
  MIDPOINT("midpoint", bn -> new MidpointBlock(false)),
  MIDPOINT_ANTISYMMETRIC("midpoint-antisymmetric", bn -> new MidpointBlock(true)),
  LEAPFROG("leapfrog", bn -> new LeapfrogBlock()),
  REVNET("revnet", AdditiveCouplingBlock::new);

  private final String id;
  private final Function<Boolean, ReversibleBlock> factory;

  BlockKind(String id, Function<Boolean, ReversibleBlock> factory) {
    this.id = id;
    this.factory = factory;
  }

  /** The name used in model names and on the command line. */
  public String id() {
    return id;
  }

  /** Whether this kind has a batch-normalised variant. */
  public boolean supportsBatchNorm() {
    return this == HAMILTONIAN || this == REVNET;
  }

  /** A block of this kind. */
  public ReversibleBlock block(boolean batchNorm) {
    if (batchNorm && !supportsBatchNorm()) {
      throw new IllegalArgumentException(id + " blocks have no batch-normalised variant");
    }
    return factory.apply(batchNorm);
  }

  /** The kind called {@code id}; fails listing the known kinds. */
  public static BlockKind byId(String id) {
    String want = id.toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(k -> k.id.equals(want))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown block kind '"
                        + id
                        + "'; known: "
                        + Arrays.stream(values()).map(BlockKind::id).toList()));
  }
}
