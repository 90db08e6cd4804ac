package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.revtrain.reversible.measure.StepTrace;

/**
 * From the step statistics of traced runs: REVERSIBLE's allocator peak does not grow with depth
 * while STORED's does, and a Hamiltonian block costs 16 convolutions in REVERSIBLE mode.
 */
class ExecutionTraceTest {
  private static final int BATCH = 32;
  private static final int SIZE = 32;
  private static final int CHANNELS = 8;

  /**
   * The smallest allocator peak of the second step over three fresh sessions. The allocator counts
   * whole BFC chunks, and how they split depends on the order in which the executor freed earlier
   * tensors, so one session's peak can sit a few percent above another's (REVERSIBLE at 8 blocks:
   * 17.9 or 18.9 MiB; at 64 blocks 18.2 or 19.9 MiB); within a session every step gives the same
   * figure.
   */
  private static long peak(GradientMode mode, int blocks) {
    long smallest = Long.MAX_VALUE;
    for (int session = 0; session < 3; session++) {
      try (TrainingGraph t = new TrainingGraph(mode, blocks, BATCH, SIZE, CHANNELS, false)) {
        smallest = Math.min(smallest, t.traceStep(2).allocatorPeakBytes());
      }
    }
    return smallest;
  }

  @Test
  void reversiblePeakIsFlatInDepthWhileStoredGrows() {
    long rev8 = peak(GradientMode.reversible(), 8);
    long rev64 = peak(GradientMode.reversible(), 64);
    long stored8 = peak(GradientMode.stored(), 8);
    long stored64 = peak(GradientMode.stored(), 64);
    String figures =
        "reversible 8/64 blocks: "
            + rev8
            + "/"
            + rev64
            + " B; stored: "
            + stored8
            + "/"
            + stored64
            + " B";
    System.out.println("ExecutionTraceTest " + figures);
    // The shape, not the benchmark's 1.1 bound: 56 more blocks add ~0.1 MiB of parameters here,
    // but BFC chunk rounding moves even the smallest of three sessions' peaks by up to 12%
    // (measured 8/64-block ratios 0.96 to 1.115), while STORED grows 7x.
    assertTrue(rev64 <= 1.2 * rev8, "reversible peak grew: " + figures);
    assertTrue(stored64 >= 3.0 * stored8, "stored peak did not grow with depth: " + figures);
  }

  @Test
  void reversibleHamiltonianStepRunsSixteenConvolutionsPerBlock() {
    int blocks = 6;
    try (TrainingGraph t = new TrainingGraph(GradientMode.reversible(), blocks, 2, 8, 4, false)) {
      StepTrace trace = t.traceStep(2);
      assertEquals(
          16 * blocks, trace.convolutions(), "convolution kernels: " + trace.executedOps());
    }
  }
}
