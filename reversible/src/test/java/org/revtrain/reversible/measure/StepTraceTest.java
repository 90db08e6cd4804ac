package org.revtrain.reversible.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Traced runs of several sessions at once, as two trainers in one process make them. */
class StepTraceTest {

  @Test
  void tracedRunsOfConcurrentSessionsAllSucceed() throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> products = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        products.add(pool.submit(StepTraceTest::traceRepeatedly));
      }
      for (Future<Integer> traced : products) {
        assertEquals(30, traced.get(), "every traced run records its matrix product");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** 30 traced runs of a 256x256 matrix product; how many recorded the product's kernel. */
  private static int traceRepeatedly() {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> a = tf.placeholder(TFloat32.class);
      Operand<TFloat32> product = tf.linalg.matMul(a, a);
      int recorded = 0;
      for (int i = 0; i < 30; i++) {
        try (TFloat32 input = TFloat32.tensorOf(Shape.of(256, 256));
            Result r = StepTrace.run(s.runner().feed(a, input).fetch(product))) {
          boolean traced =
              StepTrace.of(r.getMetadata().orElseThrow()).executedOps().keySet().stream()
                  .anyMatch(op -> op.contains("MatMul"));
          recorded += traced ? 1 : 0;
        }
      }
      return recorded;
    }
  }
}
