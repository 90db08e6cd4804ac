package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** The plot of plans against budget: a line per model through its budgets, a point per mode. */
class PlanPlotTest {
  @TempDir Path dir;

  @Test
  void eachModelHasItsPlannerLineAndItsTwoUniformPoints() throws Exception {
    PlanBenchmark.Step rev = new PlanBenchmark.Step("reversible,reversible", 90, 91, 1.4);
    PlanBenchmark.Step mixed = new PlanBenchmark.Step("reversible,stored", 350, 341, 0.9);
    PlanBenchmark.Step stored = new PlanBenchmark.Step("stored,stored", 660, 661, 0.8);
    List<PlanPlot.Model> models =
        List.of(
            new PlanPlot.Model(
                "hamiltonian-218",
                List.of(104.0, 420.0, 736.0),
                List.of(rev, mixed, stored),
                stored,
                rev),
            new PlanPlot.Model(
                "revnet-218",
                List.of(117.0, 443.0, 768.0),
                List.of(rev, mixed, stored),
                stored,
                rev));
    XYChart chart = PlanPlot.chart(models);
    assertEquals(6, chart.getSeriesMap().size());
    var line = chart.getSeriesMap().get("hamiltonian-218: planner at each budget");
    assertEquals(List.of(104.0, 420.0, 736.0), toList(line.getXData()));
    assertEquals(List.of(1.4, 0.9, 0.8), toList(line.getYData()));
    var point = chart.getSeriesMap().get("revnet-218: all STORED");
    assertEquals(List.of(661.0), toList(point.getXData()));
    Path png = dir.resolve("plots/plans.png");
    PlanPlot.write(png, models);
    byte[] head = Files.readAllBytes(png);
    assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "a PNG");
  }

  private static List<Double> toList(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }
}
