package org.revtrain.trainer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.revtrain.models.plan.ByteSize;
import org.revtrain.models.plan.MemoryModel;
import org.revtrain.models.plan.Planner;
import org.revtrain.reversible.GradientMode;
import org.revtrain.trainer.StepMemory;
import org.revtrain.trainer.TrainingConfig;
import org.revtrain.trainer.UsageException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code train} does about memory before it builds anything: with {@code --memory-budget},
 * chooses each unit's mode by {@link Planner} (unless {@code --mode} chose); then refuses, in one
 * line, a configuration whose predicted TF peak exceeds the budget or, without one, the memory the
 * process can have (the cgroup's limit, else physical memory) less {@value #MARGIN_MIB} MiB for the
 * JVM and TensorFlow's runtime.
 */
final class MemoryGate {
  static final long MARGIN_MIB = 512;

  private MemoryGate() {}

  /** Reads --memory-budget: 4g, 800m. */
  static final class Budget implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return ByteSize.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The predicted-peak model of {@code config}'s training step on its data's images. */
  static MemoryModel model(TrainingConfig config) {
    return StepMemory.model(config, StepMemory.imageShape(config));
  }

  /**
   * {@code config}, planned for {@code budget} unless {@code modeChosen}, once checked to fit.
   *
   * @param budget bytes of --memory-budget, or null
   * @throws UsageException one line with the predicted and available bytes and what to change
   */
  static TrainingConfig check(
      TrainingConfig config, Long budget, boolean modeChosen, PrintWriter out) {
    MemoryModel model = model(config);
    Planner.Choice choice = null;
    if (budget != null && !modeChosen) {
      choice = Planner.plan(model, budget);
      config = config.toBuilder().plan(choice.plan()).build();
    }
    long predicted = model.peakBytes(config.modes());
    long available = budget != null ? budget : available();
    if (!Planner.fits(predicted, available)) {
      String limit =
          budget != null ? "--memory-budget " + ByteSize.format(budget) : availableSource();
      boolean allReversible =
          config.modes().modes().stream().allMatch(m -> m instanceof GradientMode.Reversible);
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "--batch %d: one step of %s in %s is predicted to need %d bytes (%.0f MiB) of"
                  + " TensorFlow memory (+%d%% allowance), but %s allows %d bytes (%.0f MiB); use a"
                  + " smaller --batch%s%s",
              config.batch(),
              config.model().name(),
              config.modes(),
              predicted,
              predicted / 1048576.0,
              Planner.ALLOWANCE_PERCENT,
              limit,
              available,
              available / 1048576.0,
              allReversible ? " or " : ", ",
              (budget == null
                      ? "a --memory-budget to plan each unit's mode"
                      : "a larger --memory-budget")
                  + (allReversible ? "" : " or --mode reversible")));
    }
    if (choice != null) {
      out.println(
          String.format(
              Locale.ROOT,
              "memory plan for --memory-budget %s: %s, predicted peak %.1f MiB, compute %.2fx"
                  + " STORED",
              ByteSize.format(budget),
              choice.plan(),
              choice.peakBytes() / 1048576.0,
              choice.relativeCompute()));
      out.flush();
    }
    return config;
  }

  /** The memory the process can have less the margin: the cgroup's limit, else physical memory. */
  static long available() {
    long limit = cgroupLimit();
    if (limit <= 0) {
      limit = physicalMemory();
    }
    return limit <= 0 ? Long.MAX_VALUE : Math.max(0, limit - (MARGIN_MIB << 20));
  }

  private static String availableSource() {
    return (cgroupLimit() > 0 ? "the cgroup's memory.max" : "physical memory")
        + " less "
        + MARGIN_MIB
        + " MiB";
  }

  private static long cgroupLimit() {
    try {
      String v = Files.readString(Path.of("/sys/fs/cgroup/memory.max")).strip();
      return v.equals("max") ? -1 : Long.parseLong(v);
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static long physicalMemory() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
      for (String l : lines) {
        if (l.startsWith("MemTotal:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown
    }
    return -1;
  }
}
