package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;

/**
 * What a backward pass reads of a forward sweep: walking back from some ops (data and control
 * inputs), the outputs of the sweep's forward loop it reaches (0 = the counter, 1 and 2 = the
 * output state, then what the loop collected), and every op it passes on the way, which stops at
 * the loop.
 *
 * @param loopOutputs the indices of the forward loop's outputs read
 * @param visited every op reached before the loop
 */
record ForwardReads(Set<Integer> loopOutputs, Set<GraphOperation> visited) {

  /** The reads of {@code sweep}'s forward loop by {@code roots} and everything they depend on. */
  static ForwardReads of(Sweep<?> sweep, List<? extends Operand<?>> roots) {
    GraphOperation forwardLoop =
        (GraphOperation) ((GraphOperation) sweep.output().a().op()).inputs().get(0).op();
    assertTrue(forwardLoop.type().endsWith("While"), "forward loop: " + forwardLoop.type());
    Set<Integer> indices = new TreeSet<>();
    Set<GraphOperation> seen = new HashSet<>();
    Deque<GraphOperation> todo = new ArrayDeque<>();
    roots.forEach(r -> todo.add((GraphOperation) r.op()));
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      if (!seen.add(op)) {
        continue;
      }
      for (Operand<?> in : op.inputs()) {
        Output<?> o = in.asOutput();
        if (o.op().equals(forwardLoop)) {
          indices.add(o.index());
        } else {
          todo.add((GraphOperation) o.op());
        }
      }
      op.controlInputs().forEach(todo::add);
    }
    return new ForwardReads(indices, seen);
  }
}
