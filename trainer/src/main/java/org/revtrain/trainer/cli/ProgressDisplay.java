package org.revtrain.trainer.cli;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.revtrain.trainer.MetricsRecord;
import org.revtrain.trainer.StepReport;
import org.revtrain.trainer.TrainingListener;

/**
 * A progress bar on the terminal: steps done, ETA, and the running loss, accuracy, images per
 * second and last test accuracy. Use {@link #ifTerminal()}: it shows nothing when output is not a
 * terminal.
 */
final class ProgressDisplay implements TrainingListener {
  private ProgressBar bar;
  private String lastTest = "";

  private ProgressDisplay() {}

  /** A display when {@link System#console()} is a terminal, otherwise a listener that does nothing. */
  static TrainingListener ifTerminal() {
    return System.console() != null ? new ProgressDisplay() : new TrainingListener() {};
  }

  @Override
  public void started(long firstStep, long totalSteps, int stepsPerEpoch) {
    bar =
        new ProgressBarBuilder()
            .setTaskName("train")
            .setInitialMax(totalSteps)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .setUnit(" steps", 1)
            .startsFrom(firstStep, Duration.ZERO)
            .build();
  }

  @Override
  public void stepped(StepReport r) {
    if (bar == null) {
      return;
    }
    bar.stepTo(r.step());
    bar.setExtraMessage(
        String.format(Locale.ROOT,
            "epoch %.1f loss %.3f acc %.1f%% %.0f img/s%s",
            r.epoch(), r.meanLoss(), 100 * r.meanAccuracy(), r.imagesPerSecond(), lastTest));
  }

  @Override
  public void evaluated(MetricsRecord m) {
    lastTest = String.format(Locale.ROOT, " test %.1f%%", 100 * m.testAccuracy());
  }

  @Override
  public void finished() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
