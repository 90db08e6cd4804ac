package org.revtrain.experiments;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Models;
import org.revtrain.models.NetworkShape;
import org.revtrain.models.plan.MemoryModel;
import org.revtrain.models.plan.ModePlan;
import org.revtrain.models.plan.Planner;
import org.revtrain.trainer.ImageShape;
import org.revtrain.trainer.ModelCatalog;
import org.revtrain.trainer.StepMemory;
import org.revtrain.trainer.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code revtrain plan}: each unit's gradient mode for a memory budget ({@link Planner}), with the
 * {@link MemoryModel}'s prediction per unit and, with {@code --measure}, one measured step.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Chooses each unit's gradient mode: the fastest assignment whose predicted TF peak fits"
          + " --memory-budget (train's step: momentum SGD, float32, 3-channel images, 10 classes).",
      "Prints per unit the mode, the bytes it keeps and its relative compute, then the step's"
          + " predicted peak; --measure runs one step and ends with: predicted P MiB, measured M"
          + " MiB."
    })
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "A named model or KIND:BLOCKS:FILTERS (default: " + Models.DEFAULT + ").")
  String model = Models.DEFAULT;

  @Option(
      names = "--batch",
      paramLabel = "N",
      converter = OptionConverters.AtLeastOne.class,
      description = "Examples per step (default: " + TrainingConfig.DEFAULT_BATCH + ").")
  int batch = TrainingConfig.DEFAULT_BATCH;

  @Option(
      names = "--image",
      paramLabel = "PX",
      converter = OptionConverters.AtLeastOne.class,
      description = "Side of the square images (default: 32).")
  int image = 32;

  @Option(
      names = "--memory-budget",
      required = true,
      paramLabel = "SIZE",
      converter = OptionConverters.ByteSize.class,
      description = "TF memory a step may use, e.g. 512m.")
  long budget;

  @Option(
      names = "--plan",
      paramLabel = "MODES",
      description =
          "Evaluate these modes instead of choosing: one for every unit, or one per unit"
              + " separated by commas (e.g. reversible,stored,stored).")
  String given;

  @Option(
      names = "--measure",
      description = "Run one step of the plan and print its measured TF peak.")
  boolean measure;

  @Option(
      names = "--timed-steps",
      paramLabel = "N",
      converter = OptionConverters.AtLeastOne.class,
      description =
          "With --measure: steps timed after a warm-up one; the median is printed (default: 1).")
  int timedSteps = 1;

  @Override
  public Integer call() {
    TrainingConfig base;
    try {
      base = TrainingConfig.builder().model(resolve(model)).batch(batch).steps(1).build();
    } catch (IllegalArgumentException e) {
      throw usage("--model " + model + ": " + e.getMessage());
    }
    ImageShape shape = new ImageShape(image, image, 3, 10);
    MemoryModel memory = StepMemory.model(base, shape);
    ModePlan plan = given == null ? Planner.plan(memory, budget).plan() : parse(given, base);
    TrainingConfig config = base.toBuilder().plan(plan).build();
    long peak = memory.peakBytes(plan);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "%s, batch %d, %dx%d images, budget %s%n%n",
        base.model().name(),
        batch,
        image,
        image,
        OptionConverters.ByteSize.format(budget));
    out.println("| unit | blocks | state | mode | kept MiB | relative compute |");
    out.println("|---:|---:|---|---|---:|---:|");
    for (int u = 0; u < plan.units(); u++) {
      NetworkShape.Unit unit = memory.shape().units().get(u);
      out.printf(
          Locale.ROOT,
          "| %d | %d | %dx%dx%d | %s | %.1f | %.2f |%n",
          u,
          unit.blocks(),
          unit.side(),
          unit.side(),
          unit.channels(),
          plan.mode(u),
          mib(memory.keptBytes(u, plan.mode(u))),
          MemoryModel.relativeCompute(plan.mode(u)));
    }
    out.printf(
        Locale.ROOT,
        "%nweights and momentum %.1f MiB, working set %.1f MiB, relative compute %.3f%n",
        mib(memory.persistentBytes()),
        mib(memory.workingBytes(plan)),
        memory.relativeCompute(plan));
    out.println("plan " + plan);
    out.printf(
        Locale.ROOT,
        "predicted peak %.1f MiB of %s: %s%n",
        mib(peak),
        OptionConverters.ByteSize.format(budget),
        Planner.fits(peak, budget)
            ? "fits (with " + Planner.ALLOWANCE_PERCENT + "% allowance)"
            : "does not fit (with " + Planner.ALLOWANCE_PERCENT + "% allowance)");
    if (measure) {
      PlannedStep step = PlannedStep.measure(config, shape, timedSteps);
      if (step.peakBytes() < 0) {
        out.println("measured: unknown (run with TF_CPU_ALLOCATOR_USE_BFC=true)");
      } else {
        out.printf(Locale.ROOT, "step %.3f s%n", step.stepSeconds());
        out.printf(
            Locale.ROOT,
            "predicted %.1f MiB, measured %.1f MiB%n",
            mib(peak),
            mib(step.peakBytes()));
      }
    }
    out.flush();
    return 0;
  }

  private ModePlan parse(String text, TrainingConfig config) {
    try {
      ModePlan p = ModePlan.parse(text);
      ModePlan plan = p.units() == 1 ? ModePlan.uniform(p.mode(0), config.model().units()) : p;
      config.toBuilder().plan(plan).build();
      return plan;
    } catch (IllegalArgumentException e) {
      throw usage("--plan " + text + ": " + e.getMessage());
    }
  }

  /** A model by name, or FAMILY-LAYERS as the ablations build it (e.g. revnet-218). */
  private static ModelSpec resolve(String name) {
    Matcher m = Pattern.compile("([a-z0-9-]+)-([0-9]+)").matcher(name);
    try {
      return ModelCatalog.resolve(name);
    } catch (IllegalArgumentException e) {
      if (m.matches()) {
        return ModelFamilies.at(m.group(1), Integer.parseInt(m.group(2)));
      }
      throw e;
    }
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
