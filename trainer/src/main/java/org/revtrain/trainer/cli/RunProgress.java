package org.revtrain.trainer.cli;

import java.util.function.LongSupplier;
import org.revtrain.trainer.MetricsRecord;
import org.revtrain.trainer.StepReport;

/**
 * A run's progress as its {@link org.revtrain.trainer.TrainingListener} calls report it, with the
 * ETA from a clock: what the progress outputs show. Thread-safe: a terminal display reads it from
 * its own thread.
 */
final class RunProgress {
  private static final double NANOS = 1e9;

  private final LongSupplier nanoTime;
  private long firstStep;
  private long total;
  private long startNanos;
  private long step;
  private double epoch;
  private double loss = Double.NaN;
  private double accuracy = Double.NaN;
  private double testLoss = Double.NaN;
  private double testAccuracy = Double.NaN;
  // images per second since the last evaluation: steps / Σ 1/rate, the harmonic mean of the steps'
  // rates, which is all images over all seconds as every step trains one batch
  private double secondsPerImageSum;
  private int rateSteps;
  private boolean windowClosed;
  private long evaluatingSince = -1;

  /**
   * @param nanoTime the clock, in nanoseconds (e.g. {@link System#nanoTime})
   */
  RunProgress(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  synchronized void started(long firstStep, long totalSteps, int stepsPerEpoch) {
    this.firstStep = firstStep;
    this.total = totalSteps;
    this.step = firstStep;
    this.epoch = (double) firstStep / stepsPerEpoch;
    this.startNanos = nanoTime.getAsLong();
  }

  synchronized void stepped(StepReport r) {
    if (windowClosed) {
      secondsPerImageSum = 0;
      rateSteps = 0;
      windowClosed = false;
    }
    step = r.step();
    epoch = r.epoch();
    loss = r.meanLoss();
    accuracy = r.meanAccuracy();
    secondsPerImageSum += 1 / r.imagesPerSecond();
    rateSteps++;
  }

  synchronized void evaluating() {
    evaluatingSince = nanoTime.getAsLong();
  }

  /** Takes in an evaluation; the training means shown stay those it closes until the next step. */
  synchronized void evaluated(MetricsRecord m) {
    evaluatingSince = -1;
    step = m.step();
    epoch = m.epoch();
    loss = m.trainLoss();
    accuracy = m.trainAccuracy();
    testLoss = m.testLoss();
    testAccuracy = m.testAccuracy();
    windowClosed = true;
  }

  /** The progress now. */
  synchronized ProgressLine line() {
    long now = nanoTime.getAsLong();
    long done = step - firstStep;
    double eta = done > 0 ? (now - startNanos) / NANOS / done * (total - step) : Double.NaN;
    return new ProgressLine(
        step,
        total,
        epoch,
        loss,
        accuracy,
        rateSteps > 0 ? rateSteps / secondsPerImageSum : Double.NaN,
        testLoss,
        testAccuracy,
        eta,
        evaluatingSince >= 0 ? (now - evaluatingSince) / NANOS : Double.NaN);
  }
}
