package org.revtrain.experiments;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.revtrain.trainer.MetricsLog;
import org.revtrain.trainer.MetricsRecord;

/**
 * A sweep's results: per cell, the mean and sample standard deviation over its seeds of each
 * metric's final value (the last evaluation of each complete run), how many runs diverged, and the
 * run directories behind it; as Markdown, CSV and one plot per metric.
 */
final class SweepTable {
  /** A metric of the last evaluation of a run. */
  enum Metric {
    TEST_ACCURACY("test accuracy", "%", true, MetricsRecord::testAccuracy),
    TEST_LOSS("test loss", "cross-entropy", false, MetricsRecord::testLoss),
    TRAIN_ACCURACY("training accuracy", "%", true, MetricsRecord::trainAccuracy),
    TRAIN_LOSS("training loss", "cross-entropy", false, MetricsRecord::trainLoss),
    SECONDS("wall time", "s", false, MetricsRecord::seconds);

    final String label;
    final String unit;
    final boolean percent;
    final ToDoubleFunction<MetricsRecord> value;

    Metric(String label, String unit, boolean percent, ToDoubleFunction<MetricsRecord> value) {
      this.label = label;
      this.unit = unit;
      this.percent = percent;
      this.value = value;
    }

    /** The name on the command line and in file names, e.g. {@code test_accuracy}. */
    String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Metric parse(String id) {
      for (Metric m : values()) {
        if (m.id().equals(id.strip().toLowerCase(Locale.ROOT).replace('-', '_'))) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "'" + id + "' is not a metric; one of " + String.join(", ", ids()));
    }

    static List<String> ids() {
      return java.util.Arrays.stream(values()).map(Metric::id).toList();
    }

    double of(MetricsRecord r) {
      return (percent ? 100 : 1) * value.applyAsDouble(r);
    }
  }

  /** One cell: its values, its complete runs' last evaluations, its diverged runs, its runs. */
  record Cell(
      Map<String, String> values,
      List<MetricsRecord> finals,
      int diverged,
      int unfinished,
      List<Path> runs) {
    SummaryStatistics statistics(Metric m) {
      SummaryStatistics s = new SummaryStatistics();
      finals.forEach(r -> s.addValue(m.of(r)));
      return s;
    }
  }

  private final List<String> keys;
  private final List<Cell> cells;
  private final List<Metric> metrics;

  SweepTable(List<String> keys, List<Cell> cells, List<Metric> metrics) {
    this.keys = List.copyOf(keys);
    this.cells = List.copyOf(cells);
    this.metrics = List.copyOf(metrics);
  }

  /** Reads the runs of {@code spec} that {@code runner} placed. */
  static SweepTable read(SweepSpec spec, SweepRunner runner, List<Metric> metrics) {
    List<Cell> cells = new ArrayList<>();
    for (Map<String, String> cell : spec.cells()) {
      List<MetricsRecord> finals = new ArrayList<>();
      List<Path> runs = new ArrayList<>();
      int diverged = 0;
      int unfinished = 0;
      for (int seed = 1; seed <= spec.seeds(); seed++) {
        SweepRun run = new SweepRun(cell, spec.fixed(), seed);
        Path dir = runner.runDirectory(run);
        runs.add(dir);
        switch (runner.status(run)) {
          case COMPLETE -> {
            List<MetricsRecord> records = new MetricsLog(dir).read(w -> {});
            finals.add(records.get(records.size() - 1));
          }
          case DIVERGED -> diverged++;
          default -> unfinished++;
        }
      }
      cells.add(new Cell(cell, finals, diverged, unfinished, runs));
    }
    return new SweepTable(List.copyOf(spec.grid().keySet()), cells, metrics);
  }

  /** The metrics of the table: test accuracy and loss, then the chosen ones. */
  private List<Metric> columns() {
    List<Metric> all = new ArrayList<>(List.of(Metric.TEST_ACCURACY, Metric.TEST_LOSS));
    metrics.stream().filter(m -> !all.contains(m)).forEach(all::add);
    return all;
  }

  private static String number(double x, Metric m) {
    if (Double.isNaN(x)) {
      return "—";
    }
    return String.format(Locale.ROOT, m.percent ? "%.2f" : "%.4g", x);
  }

  /** The Markdown table. */
  String markdown() {
    StringBuilder b = new StringBuilder("|");
    StringBuilder rule = new StringBuilder("|");
    for (String k : keys) {
      b.append(' ').append(k).append(" |");
      rule.append("---|");
    }
    b.append(" runs | diverged |");
    rule.append("---:|---:|");
    for (Metric m : columns()) {
      b.append(' ').append(m.label).append(m.percent ? " (%)" : "").append(" |");
      rule.append("---:|");
    }
    b.append(" run directories |\n");
    rule.append("---|\n");
    b.append(rule);
    for (Cell c : cells) {
      b.append('|');
      for (String k : keys) {
        b.append(' ').append(c.values().get(k)).append(" |");
      }
      b.append(' ').append(c.finals().size());
      if (c.unfinished() > 0) {
        b.append(" (").append(c.unfinished()).append(" unfinished)");
      }
      b.append(" | ").append(c.diverged()).append(" |");
      for (Metric m : columns()) {
        SummaryStatistics s = c.statistics(m);
        b.append(' ').append(number(s.getMean(), m));
        if (s.getN() > 1) {
          b.append(" ± ").append(number(s.getStandardDeviation(), m));
        }
        b.append(" |");
      }
      StringJoiner dirs = new StringJoiner(", ", " ", " |\n");
      c.runs().forEach(r -> dirs.add(r.getFileName().toString()));
      b.append(dirs);
    }
    return b.toString();
  }

  /** The CSV table: one row per cell, a mean and a standard deviation column per metric. */
  String csv() {
    StringJoiner header = new StringJoiner(",");
    keys.forEach(header::add);
    header.add("runs").add("diverged").add("unfinished");
    for (Metric m : columns()) {
      header.add(m.id() + "_mean").add(m.id() + "_sd");
    }
    header.add("run_directories");
    StringBuilder b = new StringBuilder(header + "\n");
    for (Cell c : cells) {
      StringJoiner row = new StringJoiner(",");
      keys.forEach(k -> row.add(quoted(c.values().get(k))));
      row.add(Integer.toString(c.finals().size()))
          .add(Integer.toString(c.diverged()))
          .add(Integer.toString(c.unfinished()));
      for (Metric m : columns()) {
        SummaryStatistics s = c.statistics(m);
        row.add(String.format(Locale.ROOT, "%.6g", s.getMean()))
            .add(String.format(Locale.ROOT, "%.6g", s.getStandardDeviation()));
      }
      row.add(
          quoted(
              String.join(";", c.runs().stream().map(p -> p.getFileName().toString()).toList())));
      b.append(row).append('\n');
    }
    return b.toString();
  }

  private static String quoted(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /**
   * The plot of {@code m}: its mean ± standard deviation per cell against the last grid key's
   * values (a line per value of the other keys; a numeric axis when every value is a number,
   * logarithmic when they span a factor of 10 or more, else categories).
   */
  Chart<?, ?> chart(Metric m, String title) {
    String xKey = keys.isEmpty() ? null : keys.get(keys.size() - 1);
    Map<String, List<Cell>> series = new LinkedHashMap<>();
    for (Cell c : cells) {
      Map<String, String> rest = new LinkedHashMap<>(c.values());
      if (xKey != null) {
        rest.remove(xKey);
      }
      series
          .computeIfAbsent(
              rest.isEmpty() ? "mean ± sd" : SweepRun.describe(rest), k -> new ArrayList<>())
          .add(c);
    }
    String yTitle = m.label + " (" + m.unit + ")";
    boolean numeric = xKey != null && cells.stream().allMatch(c -> isNumber(c.values().get(xKey)));
    if (numeric) {
      XYChart chart =
          new XYChartBuilder()
              .width(800)
              .height(500)
              .title(title)
              .xAxisTitle(xKey)
              .yAxisTitle(yTitle)
              .build();
      double min =
          cells.stream().mapToDouble(c -> Double.parseDouble(c.values().get(xKey))).min().orElse(1);
      double max =
          cells.stream().mapToDouble(c -> Double.parseDouble(c.values().get(xKey))).max().orElse(1);
      chart.getStyler().setXAxisLogarithmic(min > 0 && max / min >= 10);
      style(chart.getStyler());
      series.forEach(
          (name, cs) -> {
            List<Cell> plotted =
                cs.stream()
                    .filter(c -> c.finals().size() > 0)
                    .sorted(
                        java.util.Comparator.comparingDouble(
                            c -> Double.parseDouble(c.values().get(xKey))))
                    .toList();
            if (plotted.isEmpty()) {
              return;
            }
            chart
                .addSeries(
                    name,
                    plotted.stream()
                        .mapToDouble(c -> Double.parseDouble(c.values().get(xKey)))
                        .toArray(),
                    plotted.stream().mapToDouble(c -> c.statistics(m).getMean()).toArray(),
                    plotted.stream().mapToDouble(c -> spread(c, m)).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
          });
      return chart;
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(800)
            .height(500)
            .title(title)
            .xAxisTitle(xKey == null ? "" : xKey)
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    series.forEach(
        (name, cs) ->
            chart.addSeries(
                name,
                cs.stream().map(c -> xKey == null ? "all runs" : c.values().get(xKey)).toList(),
                cs.stream().map(c -> (Number) orZero(c.statistics(m).getMean())).toList(),
                cs.stream().map(c -> (Number) spread(c, m)).toList()));
    return chart;
  }

  private static void style(Styler s) {
    s.setLegendPosition(Styler.LegendPosition.OutsideS);
    s.setLegendLayout(Styler.LegendLayout.Horizontal);
  }

  private static double spread(Cell c, Metric m) {
    return orZero(c.statistics(m).getStandardDeviation());
  }

  private static double orZero(double x) {
    return Double.isNaN(x) ? 0 : x;
  }

  private static boolean isNumber(String s) {
    try {
      return Double.isFinite(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Writes {@code summary.md}, {@code summary.csv} and {@code METRIC.png} for every chosen metric
   * into {@code directory}.
   *
   * @return the files written
   */
  List<Path> write(Path directory, String title) throws IOException {
    List<Path> written = new ArrayList<>();
    Path md = directory.resolve("summary.md");
    Files.writeString(md, markdown(), StandardCharsets.UTF_8);
    written.add(md);
    Path csv = directory.resolve("summary.csv");
    Files.writeString(csv, csv(), StandardCharsets.UTF_8);
    written.add(csv);
    for (Metric m : metrics) {
      Path png = directory.resolve(m.id() + ".png");
      try (OutputStream out = Files.newOutputStream(png)) {
        BitmapEncoder.saveBitmap(chart(m, title), out, BitmapEncoder.BitmapFormat.PNG);
      }
      written.add(png);
    }
    return written;
  }
}
