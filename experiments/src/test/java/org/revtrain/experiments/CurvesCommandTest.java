package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.revtrain.reversible.GradientMode;
import org.revtrain.trainer.MetricsLog;
import org.revtrain.trainer.MetricsRecord;
import org.revtrain.trainer.TrainingConfig;
import org.revtrain.trainer.UsageException;
import picocli.CommandLine;

/** {@code revtrain curves}: reads run directories back into a table and a plot. */
class CurvesCommandTest {
  @TempDir Path dir;

  private Path run(String name, GradientMode mode, double... testAccuracies) throws IOException {
    Path run = Files.createDirectories(dir.resolve(name));
    Files.writeString(
        run.resolve("config.json"),
        TrainingConfig.builder().mode(mode).build().toJson().toString());
    MetricsLog log = new MetricsLog(run);
    for (int e = 0; e < testAccuracies.length; e++) {
      log.append(
          new MetricsRecord(
              e + 1,
              10L * (e + 1),
              1.0 / (e + 1),
              0.5,
              0.7,
              testAccuracies[e],
              0.1,
              65.0 * (e + 1),
              3L << 20,
              Double.NaN));
    }
    return run;
  }

  @Test
  void metricsRoundTripThroughTheLog() throws IOException {
    Path r = run("a", GradientMode.reversible(), 0.5, 0.75);
    List<MetricsRecord> back = new MetricsLog(r).read(noWarnings());
    assertEquals(2, back.size());
    assertEquals(0.75, back.get(1).testAccuracy());
    assertEquals(20L, back.get(1).step());
    assertTrue(Double.isNaN(back.get(1).reconstructionError()), "null reads back as NaN");
  }

  @Test
  void tableHasOneRowPerRunWithLastAndBestAccuracyAndThePlotIsWritten() throws IOException {
    List<CurvesCommand.Run> runs =
        List.of(
            CurvesCommand.Run.read(
                run("rev", GradientMode.reversible(), 0.6, 0.9, 0.85), noWarnings()),
            CurvesCommand.Run.read(run("stored", GradientMode.stored(), 0.5, 0.8), noWarnings()));
    String table = CurvesCommand.table(runs);
    assertTrue(
        table.contains(
            "| rev | hamiltonian-tiny | builtin | reversible | 3.00 | 85.00% | 90.00% | 3m15s | 3.0"
                + " MiB |"),
        table);
    assertTrue(
        table.contains("| stored |") && table.contains("| 80.00% | 80.00% | 2m10s |"), table);
    Path png = dir.resolve("plots/curves.png");
    CurvesCommand.plot(runs, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null && image.getWidth() > 600, "a PNG with two panels");
  }

  @Test
  void aBrokenLogNamesFileAndLine() throws IOException {
    Path r = run("broken", GradientMode.reversible(), 0.5);
    Files.writeString(r.resolve(MetricsLog.FILE), "{\"epoch\": 1}\n", StandardOpenOption.APPEND);
    UsageException e =
        assertThrows(UsageException.class, () -> CurvesCommand.Run.read(r, noWarnings()));
    assertTrue(e.getMessage().contains("metrics.jsonl:2: not a metrics record"), e.getMessage());
    UsageException none =
        assertThrows(UsageException.class, () -> CurvesCommand.Run.read(dir, noWarnings()));
    assertTrue(none.getMessage().contains("not a run directory"), none.getMessage());
  }

  private static Consumer<String> noWarnings() {
    return w -> fail("unexpected warning: " + w);
  }

  @Test
  void aTornLastLineIsSkippedWithAWarningAndTheNextRecordStartsOnAFreshLine() throws IOException {
    Path r = run("torn", GradientMode.reversible(), 0.5, 0.6);
    Path file = r.resolve(MetricsLog.FILE);
    // a writer killed mid-line: half a record, no newline
    Files.writeString(file, "{\"epoch\":3.0,\"step\":30,\"train_lo", StandardOpenOption.APPEND);
    List<String> warnings = new ArrayList<>();
    CurvesCommand.Run read = CurvesCommand.Run.read(r, warnings::add);
    assertEquals(2, read.records().size());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).contains(MetricsLog.FILE + ":3: an incomplete last line"), warnings.get(0));

    MetricsLog log = new MetricsLog(r);
    log.append(new MetricsRecord(3, 30, 0.3, 0.5, 0.7, 0.7, 0.1, 195.0, 3L << 20, 0.0));
    List<MetricsRecord> back = log.read(noWarnings());
    assertEquals(List.of(10L, 20L, 30L), back.stream().map(MetricsRecord::step).toList());
    assertEquals(3, Files.readAllLines(file).size(), "the torn fragment is gone");
  }

  @Test
  void pngNamesAreWrittenExactlyAndOtherNamesRefused() throws IOException {
    Path r = run("a", GradientMode.reversible(), 0.5, 0.75);
    Path jpg = dir.resolve("x.jpg");
    Curves refused = curves(r.toString(), "--png", jpg.toString());
    assertEquals(2, refused.code(), refused.err());
    assertEquals(1, refused.err().lines().count(), refused.err());
    assertTrue(
        refused.err().contains("--png " + jpg) && refused.err().contains(".png"), refused.err());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(
          List.of("a"), s.map(p -> p.getFileName().toString()).toList(), "nothing written");
    }

    Path png = dir.resolve("x.png");
    Curves written = curves(r.toString(), "--png", png.toString());
    assertEquals(0, written.code(), written.err());
    assertTrue(written.out().contains("plot: " + png), written.out());
    assertTrue(ImageIO.read(png.toFile()) != null, "a PNG at exactly the name given");
    assertFalse(Files.exists(dir.resolve("x.png.png")));
  }

  @Test
  void theLegendsSitOutsideThePlots() throws IOException {
    List<CurvesCommand.Run> runs =
        List.of(
            CurvesCommand.Run.read(run("a", GradientMode.reversible(), 0.5, 0.75), noWarnings()));
    for (XYChart c : CurvesCommand.charts(runs)) {
      LegendPosition p = c.getStyler().getLegendPosition();
      assertTrue(
          p == LegendPosition.OutsideS || p == LegendPosition.OutsideE, c.getTitle() + ": " + p);
    }
  }

  private record Curves(int code, String out, String err) {}

  private static Curves curves(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "curves";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cl.execute(all);
    return new Curves(code, out.toString(), err.toString());
  }
}
