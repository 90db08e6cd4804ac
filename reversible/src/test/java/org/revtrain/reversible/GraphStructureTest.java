package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;

/**
 * The REVERSIBLE backward reads no forward activation but the unit's output, and REVERSIBLE and
 * CHECKPOINT graphs have as many ops at 1000 blocks as at 10.
 */
class GraphStructureTest {

  @Test
  void reversibleBackwardReadsNoForwardActivationButTheUnitOutput() {
    try (TrainingGraph t = new TrainingGraph(GradientMode.reversible(), 6, 2, 8, 4, true)) {
      GraphOperation leaf = (GraphOperation) t.forward.output().a().op();
      GraphOperation forwardLoop = (GraphOperation) leaf.inputs().get(0).op();
      assertTrue(
          forwardLoop.type().endsWith("While"), "forward sweep is a loop: " + forwardLoop.type());
      Set<Integer> outputIndices = new TreeSet<>();
      Set<GraphOperation> seen = new HashSet<>();
      Deque<GraphOperation> todo = new ArrayDeque<>();
      for (Operand<?> g : t.fetches) {
        todo.add((GraphOperation) g.op());
      }
      GraphOperation inputA = (GraphOperation) t.forward.input().a().op();
      GraphOperation inputB = (GraphOperation) t.forward.input().b().op();
      while (!todo.isEmpty()) {
        GraphOperation op = todo.pop();
        if (!seen.add(op)) {
          continue;
        }
        assertFalse(op.equals(inputA) || op.equals(inputB), "backward reads the unit's input");
        for (Operand<?> in : op.inputs()) {
          Output<?> o = in.asOutput();
          if (o.op().equals(forwardLoop)) {
            outputIndices.add(o.index());
          } else {
            todo.add((GraphOperation) o.op());
          }
        }
        op.controlInputs().forEach(todo::add);
      }
      // Loop outputs: 0 = counter, 1 and 2 = the output state, then batch statistics lists.
      assertEquals(Set.of(1, 2), outputIndices, "forward-sweep tensors the gradients depend on");
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
