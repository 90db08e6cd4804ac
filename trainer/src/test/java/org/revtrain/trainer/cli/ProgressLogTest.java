package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.revtrain.trainer.MetricsRecord;
import org.revtrain.trainer.StepReport;

/** Plain progress lines for output that is not a terminal, on a clock the test moves. */
class ProgressLogTest {
  @Test
  void oneLinePerEvaluationAndAtMostOnePerIntervalBetween() {
    AtomicLong nanos = new AtomicLong();
    StringWriter text = new StringWriter();
    ProgressLog log = new ProgressLog(new PrintWriter(text), Duration.ofSeconds(30), nanos::get);
    log.started(0, 100, 50);
    for (int step = 1; step <= 100; step++) {
      nanos.addAndGet(1_000_000_000L); // one second a step
      log.stepped(new StepReport(step, 100, step / 50.0, 0.9, 0.25, 1.0, 0.5, 0.1, 64));
      if (step % 50 == 0) {
        log.evaluating(step);
        nanos.addAndGet(5_000_000_000L); // five seconds an evaluation
        log.evaluated(new MetricsRecord(step / 50.0, step, 1.0, 0.5, 1.5, 0.3, 0.1, step, -1, 0));
      }
    }
    List<String> lines = text.toString().lines().toList();
    assertEquals(
        List.of(
            "step 30/100  epoch 0.60  loss 1.0000  acc 50.0%  64 img/s  ETA 1:10",
            "step 50/100  epoch 1.00  loss 1.0000  acc 50.0%  test loss 1.5000  test acc 30.0%  64"
                + " img/s  ETA 0:55",
            "step 80/100  epoch 1.60  loss 1.0000  acc 50.0%  64 img/s  ETA 0:21",
            "step 100/100  epoch 2.00  loss 1.0000  acc 50.0%  test loss 1.5000  test acc 30.0%  64"
                + " img/s  ETA 0:00"),
        lines);
  }
}
