package org.revtrain.experiments;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

  @Option(names = "--png", paramLabel = "FILE", description = "Also plot the curves into FILE.")
  Path png;

  /** One run: its directory, configuration and evaluations. */
  record Run(Path directory, TrainingConfig config, List<MetricsRecord> records) {
    static Run read(Path directory) {
      Path config = directory.resolve(Trainer.CONFIG_FILE);
      if (!Files.isRegularFile(config)) {
        throw new UsageException(directory + ": not a run directory (no " + Trainer.CONFIG_FILE + ")");
      }
      TrainingConfig c;
      try {
        c =
            TrainingConfig.fromJson(
                JsonParser.parseString(Files.readString(config, StandardCharsets.UTF_8))
                    .getAsJsonObject());
      } catch (IOException | RuntimeException e) {
        throw new UsageException(config + ": cannot read the run's configuration (" + e.getMessage() + ")");
      }
      List<MetricsRecord> records = new MetricsLog(directory).read();
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
    List<Run> read = runs.stream().map(Run::read).toList();
    System.out.print(table(read));
    if (png != null) {
      plot(read, png);
      System.out.println("plot: " + png);
    }
    return 0;
  }

  static String table(List<Run> runs) {
    StringBuilder b =
        new StringBuilder(
            "| run | model | data | mode | epochs | test accuracy, last | best | wall time | TF peak |\n"
                + "|---|---|---|---|---:|---:|---:|---:|---:|\n");
    for (Run r : runs) {
      MetricsRecord last = r.last();
      b.append(
          String.format(Locale.ROOT,
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

  static void plot(List<Run> runs, Path file) throws IOException {
    XYChart accuracy =
        new XYChartBuilder().width(640).height(420).title("Test accuracy")
            .xAxisTitle("epoch").yAxisTitle("%").build();
    XYChart loss =
        new XYChartBuilder().width(640).height(420).title("Training loss")
            .xAxisTitle("epoch").yAxisTitle("cross-entropy").build();
    for (XYChart c : List.of(accuracy, loss)) {
      c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    }
    accuracy.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    for (Run r : runs) {
      double[] epochs = r.records().stream().mapToDouble(MetricsRecord::epoch).toArray();
      accuracy
          .addSeries(r.label(), epochs, r.records().stream().mapToDouble(m -> 100 * m.testAccuracy()).toArray())
          .setMarker(SeriesMarkers.CIRCLE);
      loss.addSeries(r.label(), epochs, r.records().stream().mapToDouble(MetricsRecord::trainLoss).toArray())
          .setMarker(SeriesMarkers.CIRCLE);
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BitmapEncoder.saveBitmap(
        List.of(accuracy, loss), 1, 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
