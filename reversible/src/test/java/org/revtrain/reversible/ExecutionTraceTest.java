package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 2, acceptance 5 (at CI size) and 7, from the step statistics of traced runs: REVERSIBLE's
 * allocator peak does not grow with depth while STORED's does, and a Hamiltonian block costs 16
 * convolutions in REVERSIBLE mode.
 */
class ExecutionTraceTest {
  private static final int BATCH = 32;
  private static final int SIZE = 32;
  private static final int CHANNELS = 8;

  private static long peak(GradientMode mode, int blocks) {
    try (TrainingGraph t = new TrainingGraph(mode, blocks, BATCH, SIZE, CHANNELS, false)) {
      return t.traceStep(2).allocatorPeakBytes();
    }
  }

  @Test
  void reversiblePeakIsFlatInDepthWhileStoredGrows() {
    long rev8 = peak(GradientMode.reversible(), 8);
    long rev64 = peak(GradientMode.reversible(), 64);
    long stored8 = peak(GradientMode.stored(), 8);
    long stored64 = peak(GradientMode.stored(), 64);
    String figures =
        "reversible 8/64 blocks: " + rev8 + "/" + rev64 + " B; stored: " + stored8 + "/" + stored64 + " B";
    assertTrue(rev64 <= 1.1 * rev8, "reversible peak grew: " + figures);
    assertTrue(stored64 >= 3.0 * stored8, "stored peak did not grow with depth: " + figures);
  }

  @Test
  void reversibleHamiltonianStepRunsSixteenConvolutionsPerBlock() {
    int blocks = 6;
    try (TrainingGraph t = new TrainingGraph(GradientMode.reversible(), blocks, 2, 8, 4, false)) {
      StepTrace trace = t.traceStep(2);
      assertEquals(16 * blocks, trace.convolutions(), "convolution kernels: " + trace.executedOps());
    }
  }
}
