package org.revtrain.experiments;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.revtrain.models.plan.Planner;

/**
 * {@code revtrain bench plan}: the memory model's predictions against measured steps, and the
 * planner's plans at three budgets against the uniform modes. Every step runs {@code revtrain plan
 * --measure} in a fresh JVM: the allocator's peak of one trainer step, as {@code train} runs it,
 * and the median of three timed steps after a warm-up one.
 */
final class PlanBenchmark {
  private static final Pattern PEAKS =
      Pattern.compile("predicted ([0-9.]+) MiB, measured ([0-9.]+) MiB");
  private static final Pattern STEP = Pattern.compile("step ([0-9.]+) s");
  private static final Pattern PLAN = Pattern.compile("plan (\\S+)");

  /**
   * The options of one benchmark; {@code plot} null for no plot of the plans; {@code timedSteps}
   * steps timed after the warm-up one, of which each row gives the median.
   */
  record Options(
      List<String> models,
      List<Integer> layers,
      List<String> modes,
      List<Integer> batches,
      int planLayers,
      boolean prediction,
      boolean plans,
      Path plot,
      int timedSteps) {}

  /** One measured step: the plan it ran, its predicted and measured peaks and its step time. */
  record Step(String plan, double predictedMiB, double measuredMiB, double seconds) {
    double errorPercent() {
      return 100 * (predictedMiB - measuredMiB) / measuredMiB;
    }
  }

  private PlanBenchmark() {}

  static int run(Options o, PrintStream out) {
    Map<String, Step> uniform = new TreeMap<>();
    if (o.prediction()) {
      out.println("## Predicted against measured TF peak (one trainer step, 32x32 images)\n");
      out.println(
          "| model | layers | batch | mode | predicted MiB | measured MiB | error | step s |");
      out.println("|---|---:|---:|---|---:|---:|---:|---:|");
      for (int b : o.batches()) {
        for (String m : o.models()) {
          for (int l : o.layers()) {
            for (String mode : o.modes()) {
              Step s = measure(m + "-" + l, b, "64g", mode, o.timedSteps());
              uniform.put(m + "-" + l + " " + b + " " + mode, s);
              out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s |%n", m, l, b, mode, cells(s));
              out.flush();
            }
          }
        }
      }
    }
    List<PlanPlot.Model> plotted = new ArrayList<>();
    if (o.plans()) {
      out.println("\n## Plans at three budgets (batch 32, " + o.planLayers() + " layers)\n");
      out.println(
          "| model | budget | plan | predicted MiB | measured MiB | within budget | step s |");
      out.println("|---|---:|---|---:|---:|---|---:|");
      for (String m : o.models()) {
        String model = m + "-" + o.planLayers();
        Step stored =
            uniform.computeIfAbsent(
                model + " 32 stored", k -> measure(model, 32, "64g", "stored", o.timedSteps()));
        Step rev =
            uniform.computeIfAbsent(
                model + " 32 reversible",
                k -> measure(model, 32, "64g", "reversible", o.timedSteps()));
        // just enough for each uniform plan with the planner's allowance
        double allowance = 1 + (Planner.ALLOWANCE_PERCENT + 1) / 100.0;
        double tight = rev.predictedMiB() * allowance;
        double generous = stored.predictedMiB() * allowance;
        double middle = (tight + generous) / 2;
        List<Double> budgets = new ArrayList<>();
        List<Step> planned = new ArrayList<>();
        for (double budget : new double[] {tight, middle, generous}) {
          String size = Math.round(budget) + "m";
          Step s = measure(model, 32, size, null, o.timedSteps());
          budgets.add((double) Math.round(budget));
          planned.add(s);
          out.printf(
              Locale.ROOT,
              "| %s | %s | %s | %.1f | %.1f | %s | %.3f |%n",
              model,
              size,
              s.plan(),
              s.predictedMiB(),
              s.measuredMiB(),
              s.measuredMiB() <= Math.round(budget) ? "yes" : "NO",
              s.seconds());
          out.flush();
        }
        out.printf(
            Locale.ROOT,
            "| %s | uniform | stored | %.1f | %.1f | | %.3f |%n| %s | uniform | reversible | %.1f |"
                + " %.1f | | %.3f |%n",
            model,
            stored.predictedMiB(),
            stored.measuredMiB(),
            stored.seconds(),
            model,
            rev.predictedMiB(),
            rev.measuredMiB(),
            rev.seconds());
        plotted.add(new PlanPlot.Model(model, budgets, planned, stored, rev));
      }
      if (o.plot() != null) {
        try {
          PlanPlot.write(o.plot(), plotted);
          out.println("\nwrote " + o.plot());
        } catch (IOException e) {
          System.err.println(
              "revtrain bench plan: cannot write " + o.plot() + ": " + e.getMessage());
          return 1;
        }
      }
    }
    return 0;
  }

  private static String cells(Step s) {
    return String.format(
        Locale.ROOT,
        "%.1f | %.1f | %+.1f%% | %.3f",
        s.predictedMiB(),
        s.measuredMiB(),
        s.errorPercent(),
        s.seconds());
  }

  /** {@code revtrain plan --measure} in a fresh JVM; {@code plan} null: the planner chooses. */
  private static Step measure(String model, int batch, String budget, String plan, int timedSteps) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx4g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of(
            "plan",
            "--model",
            model,
            "--batch",
            Integer.toString(batch),
            "--memory-budget",
            budget,
            "--measure",
            "--timed-steps",
            Integer.toString(timedSteps)));
    if (plan != null) {
      cmd.addAll(List.of("--plan", plan));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("TF_CPU_ALLOCATOR_USE_BFC", "true");
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    try {
      Process p = pb.start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Matcher peaks = PEAKS.matcher(text);
      Matcher step = STEP.matcher(text);
      Matcher chosen = PLAN.matcher(text);
      if (!peaks.find() || !step.find() || !chosen.find()) {
        return new Step("failed", Double.NaN, Double.NaN, Double.NaN);
      }
      return new Step(
          chosen.group(1),
          Double.parseDouble(peaks.group(1)),
          Double.parseDouble(peaks.group(2)),
          Double.parseDouble(step.group(1)));
    } catch (IOException e) {
      return new Step("failed: " + e.getMessage(), Double.NaN, Double.NaN, Double.NaN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Step("interrupted", Double.NaN, Double.NaN, Double.NaN);
    }
  }
}
