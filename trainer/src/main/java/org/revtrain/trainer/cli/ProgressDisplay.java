package org.revtrain.trainer.cli;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.revtrain.trainer.MetricsRecord;
import org.revtrain.trainer.ModeSwitch;
import org.revtrain.trainer.Refinement;
import org.revtrain.trainer.StepReport;
import org.revtrain.trainer.StepSizeCheck;
import org.revtrain.trainer.TrainingListener;

/**
 * Progress on a terminal: one line, redrawn twice a second and fitted to the terminal's width
 * ({@link ProgressLine#fit}): steps done, ETA, the running loss and accuracy, the last test
 * accuracy, images per second, and while the test set is evaluated, for how long it has been.
 */
final class ProgressDisplay implements TrainingListener {
  private final RunProgress progress = new RunProgress(System::nanoTime);
  private ProgressBar bar;

  @Override
  public void started(long firstStep, long totalSteps, int stepsPerEpoch) {
    progress.started(firstStep, totalSteps, stepsPerEpoch);
    bar =
        new ProgressBarBuilder()
            .setInitialMax(totalSteps)
            .startsFrom(firstStep, Duration.ZERO)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .setRenderer((state, width) -> progress.line().fit(width))
            .build();
  }

  @Override
  public void stepped(StepReport r) {
    progress.stepped(r);
    if (bar != null) {
      bar.stepTo(r.step());
    }
  }

  @Override
  public void evaluating(long step) {
    progress.evaluating();
    if (bar != null) {
      bar.refresh();
    }
  }

  @Override
  public void evaluated(MetricsRecord m) {
    progress.evaluated(m);
  }

  /** The switch on a line of its own above the bar (which draws on stderr and redraws itself). */
  @Override
  public void checkedStepSize(StepSizeCheck c) {
    System.err.println("\r" + c.describe());
  }

  @Override
  public void refined(Refinement r) {
    System.err.println("\r" + r.describe());
  }

  @Override
  public void switchedMode(ModeSwitch change) {
    System.err.println("\r" + change.describe());
  }

  @Override
  public void finished() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
