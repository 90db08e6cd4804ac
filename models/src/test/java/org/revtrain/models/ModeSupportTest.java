package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.revtrain.reversible.GradientMode;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A model that cannot run in a mode says so — an IllegalArgumentException naming the block kind and
 * the modes it supports, not a silent fallback.
 */
class ModeSupportTest {

  private static Network<TFloat32> create(Graph g, String model, GradientMode mode) {
    return Network.create(Ops.create(g), Models.byName(model), 3, 10, mode, TFloat32.class, 1);
  }

  @Test
  void reversibleResnet32IsRefusedNamingTheKindAndItsModes() {
    for (GradientMode mode : List.of(GradientMode.reversible(), GradientMode.checkpoint(2))) {
      try (Graph g = new Graph()) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> create(g, "resnet-32", mode));
        assertTrue(e.getMessage().contains("resnet"), e.getMessage());
        assertTrue(e.getMessage().contains(mode.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("support only: stored"), e.getMessage());
        assertFalse(g.operations().hasNext(), "no variable created before refusing");
      }
    }
  }

  @Test
  void everyExplicitKindRefusesReversibleAndAcceptsStored() {
    for (BlockKind kind : BlockKind.values()) {
      if (kind.reversible()) {
        continue;
      }
      ModelSpec spec = ModelSpec.builder(kind).blocksPerUnit(1, 1).filters(4, 4, 8).build();
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    Network.create(tf, spec, 3, 10, GradientMode.reversible(), TFloat32.class, 1));
        assertTrue(
            e.getMessage().startsWith(kind.id() + " blocks are not invertible"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> kind.block(false), kind.id());
        try (Network<TFloat32> net =
            Network.create(tf, spec, 3, 10, GradientMode.stored(), TFloat32.class, 1)) {
          assertEquals(2, net.units().size());
          assertEquals(1, net.units().get(1).stepSizes().length);
          assertEquals(GradientMode.stored(), net.units().get(0).mode());
        }
      }
    }
  }

  @Test
  void reversibleKindsAcceptEveryMode() {
    for (GradientMode mode :
        List.of(GradientMode.stored(), GradientMode.reversible(), GradientMode.checkpoint(3))) {
      try (Graph g = new Graph();
          Network<TFloat32> net = create(g, "hamiltonian-38", mode)) {
        assertEquals(3, net.units().size());
        assertEquals(mode, net.units().get(0).mode());
      }
    }
  }

  @Test
  void kindsSayWhetherTheyAreReversible() {
    assertTrue(BlockKind.HAMILTONIAN.reversible() && BlockKind.REVNET.reversible());
    assertFalse(BlockKind.RESNET.reversible() || BlockKind.LM_RESNET.reversible());
    assertFalse(BlockKind.EULER.reversible() || BlockKind.RK4.reversible());
    assertEquals(BlockKind.LM_RESNET, BlockKind.byId("LM-ResNet"));
  }

  @Test
  void oddChannelCountForASplitStateIsRejected() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x =
          tf.placeholder(
              TFloat32.class,
              org.tensorflow.op.core.Placeholder.shape(
                  org.tensorflow.ndarray.Shape.of(-1, 8, 8, 3)));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> StateLayout.CHANNEL_HALVES.enter(tf, x, "hamiltonian"));
      assertTrue(e.getMessage().contains("even") && e.getMessage().contains("3"), e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> StateLayout.CHANNEL_HALVES.stateChannels(5, "revnet"));
      assertTrue(e.getMessage().contains("even") && e.getMessage().contains("5"), e.getMessage());
    }
  }
}
