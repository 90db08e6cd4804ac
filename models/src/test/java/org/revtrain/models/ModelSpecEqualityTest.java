package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Specs are values: equal when they name and describe the same network. */
class ModelSpecEqualityTest {
  private static ModelSpec.Builder tiny() {
    return ModelSpec.builder(BlockKind.HAMILTONIAN)
        .name("tiny")
        .blocksPerUnit(2, 1)
        .filters(4, 4, 8)
        .stepSize(0.5)
        .batchNorm(true);
  }

  @Test
  void oneStepSizeForAllBlocksEqualsTheSameStepSizeGivenPerBlock() {
    ModelSpec uniform = tiny().build();
    ModelSpec perBlock = tiny().stepSizes(0.5, 0.5, 0.5).build();
    assertEquals(uniform, perBlock);
    assertEquals(uniform.hashCode(), perBlock.hashCode());
    assertEquals(uniform, uniform.toBuilder().build());
  }

  @Test
  void specsDifferingInAnySettingDiffer() {
    ModelSpec base = tiny().build();
    List<ModelSpec> others =
        List.of(
            tiny().name("other").build(),
            ModelSpec.builder(BlockKind.MIDPOINT)
                .name("tiny")
                .blocksPerUnit(2, 1)
                .filters(4, 4, 8)
                .stepSize(0.5)
                .build(),
            tiny().blocksPerUnit(1, 2).build(),
            tiny().filters(4, 4, 12).build(),
            tiny().stepSizes(0.5, 0.25, 0.5).build(),
            tiny().batchNorm(false).build(),
            tiny().finalSurvival(0.8).build(),
            tiny().float64State(!base.float64State()).build());
    for (ModelSpec other : others) {
      assertNotEquals(base, other, other.toString());
    }
  }
}
