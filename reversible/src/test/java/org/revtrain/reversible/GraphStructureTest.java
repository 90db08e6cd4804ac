package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;

/**
 * The REVERSIBLE backward reads no forward activation but the unit's output, and REVERSIBLE and
 * CHECKPOINT graphs have as many ops at 1000 blocks as at 10.
 */
class GraphStructureTest {

  @Test
  void reversibleBackwardReadsNoForwardActivationButTheUnitOutput() {
    try (TrainingGraph t = new TrainingGraph(GradientMode.reversible(), 6, 2, 8, 4, true)) {
      ForwardReads reads = ForwardReads.of(t.forward, t.fetches);
      GraphOperation inputA = (GraphOperation) t.forward.input().a().op();
      GraphOperation inputB = (GraphOperation) t.forward.input().b().op();
      assertFalse(
          reads.visited().contains(inputA) || reads.visited().contains(inputB),
          "backward reads the unit's input");
      // Loop outputs: 0 = counter, 1 and 2 = the output state, then batch statistics lists.
      assertEquals(
          Set.of(1, 2), reads.loopOutputs(), "forward-sweep tensors the gradients depend on");
    }
  }

  @Test
  void reversibleGraphHasTheSameOpCountAt10And1000Blocks() {
    int small;
    int large;
    try (TrainingGraph t = new TrainingGraph(GradientMode.reversible(), 10, 2, 8, 4, true)) {
      small = t.operationCount();
    }
    try (TrainingGraph t = new TrainingGraph(GradientMode.reversible(), 1000, 2, 8, 4, true)) {
      large = t.operationCount();
    }
    assertEquals(small, large, "graph ops at 10 vs 1000 blocks");
  }

  @Test
  void checkpointGraphHasTheSameOpCountAt10And1000Blocks() {
    int small;
    int large;
    try (TrainingGraph t = new TrainingGraph(GradientMode.checkpoint(4), 10, 2, 8, 4, false)) {
      small = t.operationCount();
    }
    try (TrainingGraph t = new TrainingGraph(GradientMode.checkpoint(4), 1000, 2, 8, 4, false)) {
      large = t.operationCount();
    }
    assertEquals(small, large, "graph ops at 10 vs 1000 blocks");
  }
}
