package org.revtrain.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes the memory ablation's {@code memory.csv}, {@code memory.md} and {@code memory.png}. */
final class MemoryReport {
  private MemoryReport() {}

  static void write(Path dir, List<ProbeResult> rows) throws IOException {
    Files.createDirectories(dir);
    List<String> csv = new ArrayList<>();
    csv.add(ProbeResult.HEADER);
    rows.forEach(r -> csv.add(r.csv()));
    Files.write(dir.resolve("memory.csv"), csv);
    Files.writeString(dir.resolve("memory.md"), markdown(rows));
    if (rows.stream().anyMatch(ProbeResult::ok)) {
      plot(dir.resolve("memory.png"), rows);
    }
  }

  static String markdown(List<ProbeResult> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| model | mode | layers | blocks | params | graph ops | build s | first step s | step s"
            + " (median) | TF peak MiB | TF step's own MiB | RSS peak MiB | status | state |"
            + " dtype |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n");
    for (ProbeResult r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
              r.model(),
              r.mode(),
              r.layers(),
              r.blocks(),
              r.ok() ? Long.toString(r.params()) : "",
              r.ok() ? Integer.toString(r.graph_ops()) : "",
              r.ok() ? String.format(Locale.ROOT, "%.2f", r.build_seconds()) : "",
              r.ok() ? String.format(Locale.ROOT, "%.2f", r.first_step_seconds()) : "",
              r.ok() ? String.format(Locale.ROOT, "%.3f", r.step_seconds_median()) : "",
              r.ok() ? String.format(Locale.ROOT, "%.1f", r.tf_peak_bytes() / 1048576.0) : "",
              r.ok() ? String.format(Locale.ROOT, "%.1f", r.tf_step_peak_bytes() / 1048576.0) : "",
              r.ok() ? String.format(Locale.ROOT, "%.0f", r.rss_peak_bytes() / 1048576.0) : "",
              r.status(),
              r.state_dtype(),
              r.dtype()));
    }
    return b.toString();
  }

  private static void plot(Path file, List<ProbeResult> rows) throws IOException {
    XYChart memory =
        new XYChartBuilder()
            .width(640)
            .height(420)
            .title("TF allocator peak of one training step")
            .xAxisTitle("layers")
            .yAxisTitle("MiB")
            .build();
    XYChart own =
        new XYChartBuilder()
            .width(640)
            .height(420)
            .title("Step's own peak (minus memory held between steps)")
            .xAxisTitle("layers")
            .yAxisTitle("MiB")
            .build();
    XYChart time =
        new XYChartBuilder()
            .width(640)
            .height(420)
            .title("Step time (median)")
            .xAxisTitle("layers")
            .yAxisTitle("seconds")
            .build();
    for (XYChart c : List.of(memory, own, time)) {
      c.getStyler().setYAxisLogarithmic(true);
      c.getStyler().setXAxisLogarithmic(true);
      c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    }
    Map<String, List<ProbeResult>> series = new LinkedHashMap<>();
    for (ProbeResult r : rows) {
      if (r.ok()) {
        String dtype = "float32".equals(r.dtype()) ? "" : " " + r.dtype();
        series.computeIfAbsent(r.model() + " " + r.mode() + dtype, k -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<ProbeResult>> e : series.entrySet()) {
      List<ProbeResult> s = e.getValue();
      double[] x = s.stream().mapToDouble(ProbeResult::layers).toArray();
      memory
          .addSeries(
              e.getKey(), x, s.stream().mapToDouble(r -> r.tf_peak_bytes() / 1048576.0).toArray())
          .setMarker(SeriesMarkers.CIRCLE);
      own.addSeries(
              e.getKey(),
              x,
              s.stream().mapToDouble(r -> r.tf_step_peak_bytes() / 1048576.0).toArray())
          .setMarker(SeriesMarkers.CIRCLE);
      time.addSeries(
              e.getKey(), x, s.stream().mapToDouble(ProbeResult::step_seconds_median).toArray())
          .setMarker(SeriesMarkers.CIRCLE);
    }
    BitmapEncoder.saveBitmap(
        List.of(memory, own, time), 1, 3, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
