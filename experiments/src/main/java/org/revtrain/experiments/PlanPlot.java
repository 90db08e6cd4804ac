package org.revtrain.experiments;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Step time against memory budget, per model: the planner's plan at each budget (a line through the
 * budgets) and each uniform mode as a point at the peak it needs (it fits any budget to the right
 * of it). A plan to the left of a uniform point fits where that mode does not; one below it is
 * faster.
 */
final class PlanPlot {

  /** One model's measured steps: the plans by budget and the two uniform extremes. */
  record Model(
      String name,
      List<Double> budgetsMiB,
      List<PlanBenchmark.Step> planned,
      PlanBenchmark.Step stored,
      PlanBenchmark.Step reversible) {}

  private static final Color[] COLORS = {
    new Color(31, 119, 180),
    new Color(214, 39, 40),
    new Color(44, 160, 44),
    new Color(148, 103, 189)
  };

  private PlanPlot() {}

  static XYChart chart(List<Model> models) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(550)
            .title("Step time against memory budget: the planner and the uniform modes")
            .xAxisTitle("memory budget, and the peak a uniform mode needs (MiB)")
            .yAxisTitle("step time (s)")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendBorderColor(Color.LIGHT_GRAY);
    for (int k = 0; k < models.size(); k++) {
      Model m = models.get(k);
      Color color = COLORS[k % COLORS.length];
      double[] x = m.budgetsMiB().stream().mapToDouble(Double::doubleValue).toArray();
      double[] y = m.planned().stream().mapToDouble(PlanBenchmark.Step::seconds).toArray();
      XYSeries plan = chart.addSeries(m.name() + ": planner at each budget", x, y);
      plan.setLineColor(color);
      plan.setMarkerColor(color);
      plan.setMarker(SeriesMarkers.CIRCLE);
      plan.setLineStyle(new BasicStroke(2f));
      point(chart, m.name() + ": all STORED", m.stored(), color, SeriesMarkers.SQUARE);
      point(chart, m.name() + ": all REVERSIBLE", m.reversible(), color, SeriesMarkers.DIAMOND);
    }
    return chart;
  }

  private static void point(
      XYChart chart,
      String name,
      PlanBenchmark.Step s,
      Color color,
      org.knowm.xchart.style.markers.Marker marker) {
    XYSeries p = chart.addSeries(name, new double[] {s.measuredMiB()}, new double[] {s.seconds()});
    p.setMarker(marker);
    p.setMarkerColor(color);
    p.setLineStyle(new BasicStroke(0f));
    p.setLineColor(new Color(0, 0, 0, 0));
  }

  /** Writes the chart of {@code models} as a PNG. */
  static void write(Path png, List<Model> models) throws IOException {
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(png)) {
      BitmapEncoder.saveBitmap(chart(models), out, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
