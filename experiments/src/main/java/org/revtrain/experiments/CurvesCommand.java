package org.revtrain.experiments;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.revtrain.trainer.MetricsLog;
import org.revtrain.trainer.MetricsRecord;
import org.revtrain.trainer.Trainer;
import org.revtrain.trainer.TrainingConfig;
import org.revtrain.trainer.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code revtrain curves}: the learning curves of finished runs, from their {@code metrics.jsonl}
 * and {@code config.json}: a Markdown table on standard output (one row per run: model, mode,
 * epochs, final and best test accuracy, wall time, allocator peak) and, with {@code --png}, a plot
 * of test accuracy and training loss against epochs, one line per run.
 */
@Command(
    name = "curves",
    mixinStandardHelpOptions = true,
    description = "Learning curves of finished runs: a Markdown table, and a plot with --png.")
final class CurvesCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run directories (train --out).")
  List<Path> runs = new ArrayList<>();

  @Spec CommandSpec spec;

  @Option(
      names = "--png",
      paramLabel = "FILE",
      description = "Also plot the curves into FILE (a .png name).")
  Path png;

  /** One run: its directory, configuration and evaluations. */
  record Run(Path directory, TrainingConfig config, List<MetricsRecord> records) {
    /**
     * Reads a run directory; a torn last line of its log (a writer that was stopped) is skipped,
     * and {@code warnings} told so.
     */
    static Run read(Path directory, Consumer<String> warnings) {
      Path config = directory.resolve(Trainer.CONFIG_FILE);
      if (!Files.isRegularFile(config)) {
        throw new UsageException(
            directory + ": not a run directory (no " + Trainer.CONFIG_FILE + ")");
      }
      TrainingConfig c;
      try {
        c =
            TrainingConfig.fromJson(
                JsonParser.parseString(Files.readString(config, StandardCharsets.UTF_8))
                    .getAsJsonObject());
      } catch (IOException | RuntimeException e) {
        throw new UsageException(
            config + ": cannot read the run's configuration (" + e.getMessage() + ")");
      }
      List<MetricsRecord> records = new MetricsLog(directory).read(warnings);
      if (records.isEmpty()) {
        throw new UsageException(directory + ": " + MetricsLog.FILE + " holds no evaluation yet");
      }
      return new Run(directory, c, records);
    }

    String label() {
      return directory.getFileName() + " (" + config.mode() + ")";
    }

    MetricsRecord last() {
      return records.get(records.size() - 1);
    }

    double bestTestAccuracy() {
      return records.stream().mapToDouble(MetricsRecord::testAccuracy).max().orElse(Double.NaN);
    }
  }

  @Override
  public Integer call() throws IOException {
    if (png != null && !png.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new ParameterException(
          spec.commandLine(),
          "--png " + png + ": the plot is a PNG image; give a name ending in .png");
    }
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> warnings = w -> err.println(spec.qualifiedName() + ": warning: " + w);
    List<Run> read = runs.stream().map(r -> Run.read(r, warnings)).toList();
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    out.print(table(read));
    if (png != null) {
      plot(read, png);
      out.println("plot: " + png);
    }
    out.flush();
    return 0;
  }

  static String table(List<Run> runs) {
    StringBuilder b =
        new StringBuilder(
            "| run | model | data | mode | epochs | test accuracy, last | best | wall time | TF"
                + " peak |\n"
                + "|---|---|---|---|---:|---:|---:|---:|---:|\n");
    for (Run r : runs) {
      MetricsRecord last = r.last();
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %.2f | %.2f%% | %.2f%% | %dm%02ds | %s |%n",
              r.directory().getFileName(),
              r.config().model().name(),
              r.config().data(),
              r.config().mode(),
              last.epoch(),
              100 * last.testAccuracy(),
              100 * r.bestTestAccuracy(),
              (long) last.seconds() / 60,
              (long) last.seconds() % 60,
              last.tfPeakBytes() > 0
                  ? String.format(Locale.ROOT, "%.1f MiB", last.tfPeakBytes() / 1048576.0)
                  : "—"));
    }
    return b.toString();
  }

  /** Writes the two charts side by side into the PNG file {@code file}, exactly that name. */
  static void plot(List<Run> runs, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(charts(runs), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
    }
  }

  /**
   * Test accuracy and training loss against epochs, one line per run, the legends below the plots
   * where they cover no data.
   */
  static List<XYChart> charts(List<Run> runs) {
    XYChart accuracy =
        new XYChartBuilder()
            .width(640)
            .height(420)
            .title("Test accuracy")
            .xAxisTitle("epoch")
            .yAxisTitle("%")
            .build();
    XYChart loss =
        new XYChartBuilder()
            .width(640)
            .height(420)
            .title("Training loss")
            .xAxisTitle("epoch")
            .yAxisTitle("cross-entropy")
            .build();
    for (XYChart c : List.of(accuracy, loss)) {
      c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
      c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    }
    for (Run r : runs) {
      double[] epochs = r.records().stream().mapToDouble(MetricsRecord::epoch).toArray();
      accuracy
          .addSeries(
              r.label(),
              epochs,
              r.records().stream().mapToDouble(m -> 100 * m.testAccuracy()).toArray())
          .setMarker(SeriesMarkers.CIRCLE);
      loss.addSeries(
              r.label(),
              epochs,
              r.records().stream().mapToDouble(MetricsRecord::trainLoss).toArray())
          .setMarker(SeriesMarkers.CIRCLE);
    }
    return List.of(accuracy, loss);
  }
}
