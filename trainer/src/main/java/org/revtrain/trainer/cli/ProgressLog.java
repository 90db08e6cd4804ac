package org.revtrain.trainer.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.revtrain.trainer.MetricsRecord;
import org.revtrain.trainer.ModeSwitch;
import org.revtrain.trainer.Refinement;
import org.revtrain.trainer.StepReport;
import org.revtrain.trainer.StepSizeCheck;
import org.revtrain.trainer.TrainingListener;

/**
 * Progress for output that is not a terminal (a file, a pipe, {@code nohup}, CI), like Keras's
 * {@code verbose=2}: one plain line per evaluation, with the test loss and accuracy, and between
 * evaluations a line of the training figures at most every {@link #INTERVAL} (see {@link
 * ProgressLine#plain}).
 */
final class ProgressLog implements TrainingListener {
  /** The longest a log goes without a line while training. */
  static final Duration INTERVAL = Duration.ofSeconds(30);

  private final PrintWriter out;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final RunProgress progress;
  private long lastLine;

  /** A log of lines at most every {@link #INTERVAL} between evaluations. */
  ProgressLog(PrintWriter out) {
    this(out, INTERVAL, System::nanoTime);
  }

  /**
   * @param interval the longest time between two lines while training
   * @param nanoTime the clock, in nanoseconds
   */
  ProgressLog(PrintWriter out, Duration interval, LongSupplier nanoTime) {
    this.out = out;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.progress = new RunProgress(nanoTime);
  }

  @Override
  public void started(long firstStep, long totalSteps, int stepsPerEpoch) {
    progress.started(firstStep, totalSteps, stepsPerEpoch);
    lastLine = nanoTime.getAsLong();
  }

  @Override
  public void stepped(StepReport report) {
    progress.stepped(report);
    if (nanoTime.getAsLong() - lastLine >= intervalNanos) {
      print(progress.line().plainTraining());
    }
  }

  @Override
  public void evaluated(MetricsRecord record) {
    progress.evaluated(record);
    print(progress.line().plain());
  }

  @Override
  public void checkedStepSize(StepSizeCheck c) {
    print(c.describe());
  }

  @Override
  public void refined(Refinement r) {
    print(r.describe());
  }

  @Override
  public void switchedMode(ModeSwitch change) {
    print(change.describe());
  }

  private void print(String line) {
    out.println(line);
    out.flush();
    lastLine = nanoTime.getAsLong();
  }
}
