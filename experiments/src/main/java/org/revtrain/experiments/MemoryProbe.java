package org.revtrain.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Network;
import org.revtrain.models.TrainingStep;
import org.revtrain.reversible.BlockUpdate;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.measure.StepTrace;
import org.revtrain.trainer.Precision;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Measures one configuration of the memory ablation — one training step of a float32 network on
 * random 10-class data — and prints one line {@code PROBE <json>}. With STEPS = 0 (the max-depth
 * search) it runs one untraced step, prints {@code FITS <json>} (the step fits; no TF peak yet),
 * then the traced step that gives the peak: at tens of thousands of layers the trace's own step
 * statistics take gigabytes, and a network that trains but cannot also be traced still fits. Run in
 * a JVM of its own, so that peaks belong to this configuration alone: {@code MemoryProbe FAMILY
 * LAYERS MODE BATCH IMAGE STEPS STATE_DTYPE DTYPE}, DTYPE float32 or bfloat16 (bfloat16 fields on
 * the float32 weights).
 */
public final class MemoryProbe {
  static final String PREFIX = "PROBE ";

  /** Prefix of the line printed when an untraced step has run (STEPS = 0). */
  static final String FITS = "FITS ";

  private MemoryProbe() {}

  /**
   * Measures the configuration the arguments give and prints its line.
   *
   * @param args FAMILY LAYERS MODE BATCH IMAGE STEPS STATE_DTYPE DTYPE
   */
  public static void main(String[] args) {
    String family = args[0];
    int layers = Integer.parseInt(args[1]);
    GradientMode mode = GradientMode.parse(args[2]);
    int batch = Integer.parseInt(args[3]);
    int image = Integer.parseInt(args[4]);
    int steps = Integer.parseInt(args[5]);
    String stateDtype = args[6];
    String dtype = args[7];
    ModelSpec spec = Precision.parse(dtype).fields(ModelFamilies.at(family, layers, stateDtype));
    ProbeResult r;
    try {
      r = measure(spec, mode, layers, batch, image, steps, dtype);
    } catch (TFResourceExhaustedException | OutOfMemoryError e) {
      r =
          ProbeResult.failed(
              family,
              mode.toString(),
              stateDtype,
              dtype,
              layers,
              spec.totalBlocks(),
              batch,
              image,
              "oom");
    }
    System.out.println(PREFIX + r.json());
    System.out.flush();
    System.exit(0);
  }

  static ProbeResult measure(
      ModelSpec spec,
      GradientMode mode,
      int layers,
      int batch,
      int image,
      int steps,
      String dtype) {
    long t0 = System.nanoTime();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (Network<TFloat32> net = Network.create(tf, spec, 3, 10, mode, TFloat32.class, 1)) {
        Random rnd = new Random(7);
        float[] pixels = new float[batch * image * image * 3];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) rnd.nextGaussian();
        }
        int[] labels = new int[batch];
        Arrays.setAll(labels, i -> rnd.nextInt(10));
        Operand<TFloat32> images =
            tf.constant(Shape.of(batch, image, image, 3), DataBuffers.of(pixels, true, false));
        Operand<TFloat32> lr = tf.constant(0.01f);
        // Units that reconstruct update each block inside their backward loop; the rest after it.
        TrainingStep<TFloat32> step =
            net.trainingStep(
                tf,
                images,
                tf.constant(labels),
                tf.constant(new long[] {1, 2}),
                BlockUpdate.gradientDescent(lr));
        List<Op> targets = new ArrayList<>(step.statisticUpdates());
        step.gradients()
            .forEach(
                (name, grad) ->
                    targets.add(
                        tf.train.resourceApplyGradientDescent(
                            net.parameters().get(name).variable().handle(), lr, grad)));
        int ops = StepTrace.operationCount(g);
        double build = (System.nanoTime() - t0) / 1e9;
        int threads = Runtime.getRuntime().availableProcessors();
        ConfigProto config =
            ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads)
                .build();
        try (Session s = new Session(g, config)) {
          s.initialize();
          // steps timed runs after a first (warm-up) run; steps = 0: one untraced run
          double[] times = new double[steps + 1];
          for (int i = 0; i < times.length; i++) {
            long a = System.nanoTime();
            Session.Runner run = s.runner().fetch(step.loss());
            targets.forEach(run::addTarget);
            try (Result res = run.run()) {
              times[i] = (System.nanoTime() - a) / 1e9;
            }
          }
          // the process peak of training itself, read before the traced run: its step statistics
          // (tens of thousands of node records at 1000+ layers) take ~200 MiB of their own
          ProbeResult untraced =
              new ProbeResult(
                  spec.kind().id(),
                  mode.toString(),
                  layers,
                  spec.totalBlocks(),
                  batch,
                  image,
                  net.trainableParameterCount(),
                  ops,
                  build,
                  times[0],
                  times[0],
                  -1,
                  -1,
                  residentPeakBytes(),
                  "ok",
                  ModelFamilies.stateDtype(spec),
                  dtype,
                  "");
          if (steps == 0) {
            System.out.println(FITS + untraced.json());
            System.out.flush();
          }
          Session.Runner traced = s.runner().fetch(step.loss());
          targets.forEach(traced::addTarget);
          StepTrace trace;
          long a = System.nanoTime();
          try (Result res = StepTrace.run(traced)) {
            trace = StepTrace.of(res.getMetadata().orElseThrow());
          }
          double tracedSeconds = (System.nanoTime() - a) / 1e9;
          double[] later =
              times.length > 1
                  ? Arrays.copyOfRange(times, 1, times.length)
                  : new double[] {tracedSeconds};
          StringBuilder kernels = new StringBuilder();
          trace
              .convolutionKernels()
              .forEach((k, n) -> kernels.append(kernels.isEmpty() ? "" : " ").append(k + "=" + n));
          trace.convolutionTypes().forEach((k, n) -> kernels.append(" " + k + "=" + n));
          return untraced.traced(
              new Median().evaluate(later),
              trace.allocatorPeakBytes(),
              trace.stepPeakBytes(),
              kernels.toString());
        }
      }
    }
  }

  /** The process's peak resident set (VmHWM), or -1 where /proc is not there. */
  static long residentPeakBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return 1024L * Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
