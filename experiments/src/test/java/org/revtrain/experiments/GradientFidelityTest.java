package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ablate gradients} on a 26-layer Hamiltonian network (batch 2, 8x8): one row per mode and
 * state type, and with a float64 state the reconstruction is exact and REVERSIBLE's error against
 * the float64 reference is STORED's own, in float32 and with bfloat16 fields alike.
 */
class GradientFidelityTest {
  @Test
  void float64StateGivesReversibleTheStoredError(@TempDir Path out) throws Exception {
    CommandLine cli = Main.commandLine();
    StringWriter text = new StringWriter();
    cli.setOut(new PrintWriter(text));
    int code =
        cli.execute(
            "ablate",
            "gradients",
            "--models",
            "hamiltonian",
            "--layers",
            "26",
            "--modes",
            "stored,reversible",
            "--batch",
            "2",
            "--image",
            "8",
            "--out",
            out.toString());
    assertEquals(0, code, text.toString());
    List<String> csv = Files.readAllLines(out.resolve("gradients.csv"));
    assertEquals(
        "model,layers,mode,dtype,relative_error,reconstruction_error,state_dtype", csv.get(0));
    assertEquals(5, csv.size(), String.join("\n", csv));
    Map<String, double[]> rows = new HashMap<>();
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      rows.put(
          f[2] + "/" + f[6], new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[5])});
    }
    double stored = rows.get("stored/float64")[0];
    double reversible = rows.get("reversible/float64")[0];
    assertTrue(stored > 0 && stored < 1e-4, "float32 STORED error " + stored);
    assertEquals(
        0.0, rows.get("reversible/float64")[1], "reconstruction error with a float64 state");
    assertTrue(
        Math.abs(reversible - stored) <= 1e-3 * stored,
        "REVERSIBLE " + reversible + " vs STORED " + stored + " with a float64 state");
    assertTrue(rows.get("reversible/float32")[1] > 0, "a float32 state's reconstruction rounds");
    assertTrue(Files.size(out.resolve("gradients.png")) > 1000, "plot written");
  }

  @Test
  void bfloat16FieldsReconstructExactlyAndReversibleHasTheStoredError(@TempDir Path out)
      throws Exception {
    CommandLine cli = Main.commandLine();
    StringWriter text = new StringWriter();
    cli.setOut(new PrintWriter(text));
    int code =
        cli.execute(
            "ablate",
            "gradients",
            "--models",
            "hamiltonian",
            "--layers",
            "26",
            "--modes",
            "stored,reversible",
            "--state-dtypes",
            "float64",
            "--dtypes",
            "float32,bfloat16",
            "--batch",
            "2",
            "--image",
            "8",
            "--out",
            out.toString());
    assertEquals(0, code, text.toString());
    List<String> csv = Files.readAllLines(out.resolve("gradients.csv"));
    assertEquals(5, csv.size(), String.join("\n", csv));
    Map<String, double[]> rows = new HashMap<>();
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      rows.put(
          f[2] + "/" + f[3], new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[5])});
    }
    double float32 = rows.get("stored/float32")[0];
    double stored = rows.get("stored/bfloat16")[0];
    double reversible = rows.get("reversible/bfloat16")[0];
    // bfloat16 rounds 2^16 times coarser than float32 (unit roundoff 2^-8 against 2^-24): its
    // gradient error is float32's scaled by about that ratio, no worse
    assertTrue(
        stored > 1e3 * float32 && stored < 1e6 * float32,
        "bfloat16 " + stored + ", float32 " + float32);
    assertEquals(0.0, rows.get("reversible/bfloat16")[1], "bfloat16 reconstruction error");
    assertTrue(
        Math.abs(reversible - stored) <= 1e-3 * stored,
        "bfloat16 REVERSIBLE " + reversible + " vs STORED " + stored);
  }
}
