package org.revtrain.experiments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link MemoryProbe} for one configuration in a fresh JVM under a memory cap: TensorFlow's
 * allocator is limited to the cap, and a watchdog kills the process if its resident set passes it.
 * A configuration that runs out of memory becomes a row with status {@code oom}, never a failure of
 * the sweep.
 */
final class ProbeRunner {
  private final long capBytes;
  private final long timeoutSeconds;

  ProbeRunner(long capBytes, long timeoutSeconds) {
    this.capBytes = capBytes;
    this.timeoutSeconds = timeoutSeconds;
  }

  /**
   * @param stateDtype float32 or float64: the type the reversible units carry their state in
   * @param dtype float32, or bfloat16 for bfloat16 fields on the float32 weights
   */
  ProbeResult run(
      String family,
      int layers,
      String mode,
      String stateDtype,
      String dtype,
      int batch,
      int image,
      int steps) {
    int blocks = ModelFamilies.at(family, layers).totalBlocks();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + Math.max(512, Math.min(capBytes / 4, 4L << 30) >> 20) + "m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MemoryProbe.class.getName());
    cmd.addAll(
        List.of(
            family,
            Integer.toString(layers),
            mode,
            Integer.toString(batch),
            Integer.toString(image),
            Integer.toString(steps),
            stateDtype,
            dtype));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("TF_CPU_ALLOCATOR_USE_BFC", "true");
    pb.environment().put("TF_CPU_BFC_MEM_LIMIT_IN_MB", Long.toString(capBytes >> 20));
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    pb.redirectErrorStream(true);
    try {
      Path log = Files.createTempFile("revtrain-probe", ".log");
      pb.redirectOutput(log.toFile());
      Process p = pb.start();
      boolean killedForMemory = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
        if (residentBytes(p.pid()) > capBytes) {
          killedForMemory = true;
          p.destroyForcibly().waitFor();
          break;
        }
        if (System.nanoTime() > deadline) {
          p.destroyForcibly().waitFor();
          Files.deleteIfExists(log);
          return ProbeResult.failed(
              family, mode, stateDtype, dtype, layers, blocks, batch, image, "timeout");
        }
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      ProbeResult fits = null;
      for (String line : lines) {
        if (line.startsWith(MemoryProbe.PREFIX)) {
          return ProbeResult.fromJson(line.substring(MemoryProbe.PREFIX.length()));
        }
        if (line.startsWith(MemoryProbe.FITS)) {
          fits = ProbeResult.fromJson(line.substring(MemoryProbe.FITS.length()));
        }
      }
      if (fits != null) {
        return fits; // an untraced step ran; tracing it did not fit (tf_peak_bytes = -1)
      }
      String all = String.join("\n", lines);
      if (killedForMemory
          || all.contains("OutOfMemory")
          || all.contains("ResourceExhausted")
          || all.contains("OOM")
          || p.exitValue() == 137) {
        return ProbeResult.failed(
            family, mode, stateDtype, dtype, layers, blocks, batch, image, "oom");
      }
      String last = lines.isEmpty() ? "exit " + p.exitValue() : lines.get(lines.size() - 1);
      return ProbeResult.failed(
          family,
          mode,
          stateDtype,
          dtype,
          layers,
          blocks,
          batch,
          image,
          "error: " + last.replace(',', ';'));
    } catch (IOException e) {
      return ProbeResult.failed(
          family,
          mode,
          stateDtype,
          dtype,
          layers,
          blocks,
          batch,
          image,
          "error: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.failed(
          family, mode, stateDtype, dtype, layers, blocks, batch, image, "interrupted");
    }
  }

  private static long residentBytes(long pid) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                Files.newInputStream(Path.of("/proc", Long.toString(pid), "status")),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("VmRSS:")) {
          return 1024L * Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
