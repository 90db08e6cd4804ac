package org.revtrain.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory ablation's contract: its CSV, its depth arithmetic, and oom rows instead of crashes.
 */
class MemoryAblationTest {

  @Test
  void sizesParseAndPrintInBinaryUnits() {
    assertEquals(16L << 30, OptionConverters.ByteSize.bytes("16g"));
    assertEquals(800L << 20, OptionConverters.ByteSize.bytes("800M"));
    assertEquals(1536L << 20, OptionConverters.ByteSize.bytes("1.5g"));
    assertEquals("8 GiB", OptionConverters.ByteSize.format(8L << 30));
    assertEquals("800 MiB", OptionConverters.ByteSize.format(800L << 20));
  }

  @Test
  void familiesAtADepthUseNamedModelsOrChangsLayout() {
    assertEquals("hamiltonian-110", ModelFamilies.at("hamiltonian", 110).name());
    assertEquals(27, ModelFamilies.at("hamiltonian", 110).totalBlocks());
    assertEquals(3 * 250, ModelFamilies.at("hamiltonian", 3002).totalBlocks()); // 12·250 + 2
    assertEquals(3002, ModelFamilies.layers("hamiltonian", 250));
    assertThrows(IllegalArgumentException.class, () -> ModelFamilies.at("hamiltonian", 100));
  }

  @Test
  void aSweepWritesOneRowPerConfigurationAndRecordsOutOfMemoryAsARow(@TempDir Path out)
      throws Exception {
    ProbeRunner roomy = new ProbeRunner(4L << 30, 300);
    ProbeRunner starved = new ProbeRunner(48L << 20, 300);
    ProbeResult ok = roomy.run("hamiltonian", 14, "reversible", "float64", "bfloat16", 2, 8, 1);
    ProbeResult oom = starved.run("hamiltonian", 14, "stored", "float32", "float32", 2, 8, 1);
    assertEquals("ok", ok.status(), "a 14-layer network at batch 2 fits in 4 GiB");
    assertTrue(ok.tf_peak_bytes() > 0 && ok.graph_ops() > 0 && ok.params() > 0, ok.toString());
    assertEquals("oom", oom.status(), "a JVM capped at 48 MiB cannot run TensorFlow: " + oom);
    MemoryReport.write(out, List.of(ok, oom));
    List<String> csv = Files.readAllLines(out.resolve("memory.csv"));
    assertEquals(ProbeResult.HEADER, csv.get(0));
    assertEquals(3, csv.size());
    assertEquals(18, csv.get(1).split(",").length, "columns: " + csv.get(1));
    assertTrue(
        ok.tf_step_peak_bytes() > 0 && ok.tf_step_peak_bytes() < ok.tf_peak_bytes(), ok.toString());
    assertTrue(csv.get(1).contains(",ok,float64,bfloat16,"), csv.get(1));
    assertTrue(ok.conv_kernels().contains("Conv2D"), "kernels that ran: " + ok.conv_kernels());
    // the units' convolutions ran in bfloat16, the stem's (forward and filter gradient) in float32
    assertTrue(ok.conv_kernels().matches(".* FLOAT=2( .*|$)"), "their types: " + ok.conv_kernels());
    assertTrue(ok.conv_kernels().matches(".*BFLOAT16=[1-9].*"), ok.conv_kernels());
    assertTrue(csv.get(2).endsWith(",oom,float32,float32,"), csv.get(2));
    assertTrue(Files.size(out.resolve("memory.png")) > 1000, "plot written");
    assertTrue(
        Files.readString(out.resolve("memory.md")).contains("| hamiltonian | reversible | 14 |"));
    assertTrue(Files.readString(out.resolve("memory.md")).contains("| float64 | bfloat16 |"));
  }
}
