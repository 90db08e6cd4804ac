package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.reversible.GradientMode;
import org.revtrain.trainer.MetricsLog;
import org.revtrain.trainer.MetricsRecord;
import org.revtrain.trainer.TrainingConfig;
import org.revtrain.trainer.UsageException;

/** {@code revtrain curves}: reads run directories back into a table and a plot. */
class CurvesCommandTest {
  @TempDir Path dir;

  private Path run(String name, GradientMode mode, double... testAccuracies) throws IOException {
    Path run = Files.createDirectories(dir.resolve(name));
    Files.writeString(
        run.resolve("config.json"), TrainingConfig.builder().mode(mode).build().toJson().toString());
    MetricsLog log = new MetricsLog(run);
    for (int e = 0; e < testAccuracies.length; e++) {
      log.append(
          new MetricsRecord(
              e + 1, 10L * (e + 1), 1.0 / (e + 1), 0.5, 0.7, testAccuracies[e], 0.1, 65.0 * (e + 1),
              3L << 20, Double.NaN));
    }
    return run;
  }

  @Test
  void metricsRoundTripThroughTheLog() throws IOException {
    Path r = run("a", GradientMode.reversible(), 0.5, 0.75);
    List<MetricsRecord> back = new MetricsLog(r).read();
    assertEquals(2, back.size());
    assertEquals(0.75, back.get(1).testAccuracy());
    assertEquals(20L, back.get(1).step());
    assertTrue(Double.isNaN(back.get(1).reconstructionError()), "null reads back as NaN");
  }

  @Test
  void tableHasOneRowPerRunWithLastAndBestAccuracyAndThePlotIsWritten() throws IOException {
    List<CurvesCommand.Run> runs =
        List.of(
            CurvesCommand.Run.read(run("rev", GradientMode.reversible(), 0.6, 0.9, 0.85)),
            CurvesCommand.Run.read(run("stored", GradientMode.stored(), 0.5, 0.8)));
    String table = CurvesCommand.table(runs);
    assertTrue(
        table.contains("| rev | hamiltonian-tiny | builtin | reversible | 3.00 | 85.00% | 90.00% | 3m15s | 3.0 MiB |"),
        table);
    assertTrue(table.contains("| stored |") && table.contains("| 80.00% | 80.00% | 2m10s |"), table);
    Path png = dir.resolve("plots/curves.png");
    CurvesCommand.plot(runs, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null && image.getWidth() > 600, "a PNG with two panels");
  }

  @Test
  void aBrokenLogNamesFileAndLine() throws IOException {
    Path r = run("broken", GradientMode.reversible(), 0.5);
    Files.writeString(r.resolve(MetricsLog.FILE), "{\"epoch\": 1}\n", java.nio.file.StandardOpenOption.APPEND);
    UsageException e = assertThrows(UsageException.class, () -> CurvesCommand.Run.read(r));
    assertTrue(e.getMessage().contains("metrics.jsonl:2: not a metrics record"), e.getMessage());
    UsageException none = assertThrows(UsageException.class, () -> CurvesCommand.Run.read(dir));
    assertTrue(none.getMessage().contains("not a run directory"), none.getMessage());
  }
}
