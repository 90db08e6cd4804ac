package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.reversible.GradientMode;
import org.revtrain.trainer.MetricsRecord;
import org.revtrain.trainer.TrainingConfig;

/**
 * The reports' numbers do not depend on the default locale: written under a comma-decimal locale
 * (German), {@code memory.csv}, {@code memory.md}, {@code gradients.csv}, the curves table and a
 * sweep's tables are the same as under {@link Locale#ROOT}, from the same fixed figures.
 */
class ReportLocaleTest {
  @TempDir Path dir;

  private static final List<ProbeResult> PROBES =
      List.of(
          new ProbeResult(
              "hamiltonian",
              "reversible",
              38,
              6,
              8,
              32,
              123_456,
              789,
              1.23456,
              2.5,
              0.012345,
              12_345_678,
              2_345_678,
              123_456_789,
              "ok",
              "float64",
              "bfloat16",
              "_MklNativeConv2D=96"),
          ProbeResult.failed(
              "hamiltonian", "stored", "float32", "float32", 2258, 374, 8, 32, "oom"));

  private static final List<GradientFidelity.Row> GRADIENTS =
      List.of(
          new GradientFidelity.Row(
              "hamiltonian", 110, "reversible", "float32", "float64", 1.234567e-7, 2.5e-16),
          new GradientFidelity.Row("revnet", 38, "stored", "float32", "float32", 3.5e-6, 0));

  private static final List<CurvesCommand.Run> RUNS =
      List.of(
          new CurvesCommand.Run(
              Path.of("rev"),
              TrainingConfig.builder().mode(GradientMode.checkpoint(2)).build(),
              List.of(
                  new MetricsRecord(0.5, 4, 2.25, 0.125, 2.5, 0.1875, 0.1, 12.5, 0, Double.NaN),
                  new MetricsRecord(
                      1.5, 12, 1.125, 0.5, 1.75, 0.5625, 0.01, 75.25, 3_456_789, 1.5e-6))));

  private static final SweepTable SWEEP =
      new SweepTable(
          List.of("train-fraction"),
          List.of(
              new SweepTable.Cell(
                  Map.of("train-fraction", "0.05"),
                  List.of(RUNS.get(0).records().get(1), RUNS.get(0).records().get(0)),
                  0,
                  0,
                  List.of(Path.of("a"), Path.of("b")))),
          List.of(SweepTable.Metric.TEST_ACCURACY, SweepTable.Metric.SECONDS));

  /** Every report written under {@code locale} into {@code out}, by file name. */
  private static Map<String, String> reports(Locale locale, Path out) throws IOException {
    Locale before = Locale.getDefault();
    Locale.setDefault(locale);
    try {
      MemoryReport.write(out, PROBES);
      GradientFidelity.write(out, GRADIENTS);
      Map<String, String> texts = new LinkedHashMap<>();
      for (String file : List.of("memory.csv", "memory.md", "gradients.csv")) {
        texts.put(file, Files.readString(out.resolve(file)));
      }
      texts.put("curves", CurvesCommand.table(RUNS));
      texts.put("sweep.md", SWEEP.markdown());
      texts.put("sweep.csv", SWEEP.csv());
      return texts;
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void reportsWrittenInAGermanLocaleEqualThoseOfTheRootLocale() throws IOException {
    Map<String, String> root = reports(Locale.ROOT, dir.resolve("root"));
    assertTrue(root.get("memory.csv").contains(",1.235,2.500,0.0123,"), root.get("memory.csv"));
    assertTrue(root.get("memory.md").contains("| 11.8 |"), root.get("memory.md"));
    assertTrue(root.get("gradients.csv").contains(",1.234567e-07,"), root.get("gradients.csv"));
    assertTrue(root.get("curves").contains("| 1.50 | 56.25% | 56.25% | 1m15s | 3.3 MiB |"));
    assertTrue(
        root.get("sweep.md").contains("| 37.50 ± 26.52 | 2.125 ± 0.5303 |"), root.get("sweep.md"));
    Map<String, String> german = reports(Locale.GERMANY, dir.resolve("german"));
    for (String report : root.keySet()) {
      assertEquals(root.get(report), german.get(report), report);
    }
  }
}
