package org.revtrain.reversible;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.revtrain.reversible.measure.StepTrace;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A stacked parameter's weights are held once. If its initialiser were folded into a constant, the
 * variable would adopt that constant's buffer, the session's cached initialiser run would keep it,
 * and the first {@code ResourceGather} would copy the variable: twice the weights for good, with
 * nothing failing.
 */
class ResourceVariableTest {

  @Test
  void aSlicedVariableIsHeldOnceAfterInitialisation() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ParameterSpec spec = ParameterSpec.kernel("K", 32, 32);
      ResourceVariable<TFloat32> v =
          ResourceVariable.create(tf, "u.K", spec.initialValue(tf, TFloat32.class, 100, 1, 2, 1.0));
      Operand<TFloat32> slice =
          ResourceVariable.slice(tf, v.handle(), tf.constant(3), TFloat32.class);
      long bytes = Float.BYTES * v.shape().size(); // 3.5 MiB
      try (Session s = new Session(g)) {
        s.initialize();
        long held = 0;
        for (int run = 0; run < 2; run++) {
          try (Result r = StepTrace.run(s.runner().fetch(slice))) {
            held = StepTrace.of(r.getMetadata().orElseThrow()).allocatorBaseBytes();
          }
        }
        assertTrue(
            held < 1.5 * bytes,
            String.format(
                "%.1f MiB held for a %.1f MiB variable", held / 1048576.0, bytes / 1048576.0));
        assertTrue(held >= bytes, "the variable itself is held: " + held);
      }
    }
  }
}
