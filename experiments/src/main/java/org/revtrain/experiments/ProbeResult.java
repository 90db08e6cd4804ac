package org.revtrain.experiments;

import com.google.gson.Gson;
import java.util.Locale;

/**
 * One configuration of the memory ablation, as measured in its own JVM. The CSV columns of {@code
 * memory.csv}, in order. {@code tf_peak_bytes} is the TensorFlow allocator's peak of one traced
 * training step; {@code tf_step_peak_bytes} the same peak minus the bytes held before the step (the
 * weights and anything else kept between steps: the step's own activations, gradients and
 * temporaries); {@code rss_peak_bytes} the process's peak resident set (VmHWM) after the untimed
 * warm-up and the timed steps, read before the traced step, whose step statistics take memory of
 * their own (or after it when there are no timed steps); {@code state_dtype} the type the
 * reversible units carried their state in; {@code dtype} the network's precision (float32, or
 * bfloat16: bfloat16 fields on float32 weights); {@code conv_kernels} the convolution kernels the
 * traced step ran, {@code name=count} separated by spaces.
 */
record ProbeResult(
    String model,
    String mode,
    int layers,
    int blocks,
    int batch,
    int image,
    long params,
    int graph_ops,
    double build_seconds,
    double first_step_seconds,
    double step_seconds_median,
    long tf_peak_bytes,
    long tf_step_peak_bytes,
    long rss_peak_bytes,
    String status,
    String state_dtype,
    String dtype,
    String conv_kernels) {

  static final String HEADER =
      "model,mode,layers,blocks,batch,image,params,graph_ops,build_seconds,first_step_seconds,"
          + "step_seconds_median,tf_peak_bytes,tf_step_peak_bytes,rss_peak_bytes,status,"
          + "state_dtype,dtype,conv_kernels";

  private static final Gson GSON = new Gson();

  /** This row with a traced step's figures: its median step time and allocator peaks. */
  ProbeResult traced(
      double stepSecondsMedian, long tfPeakBytes, long tfStepPeakBytes, String kernels) {
    return new ProbeResult(
        model,
        mode,
        layers,
        blocks,
        batch,
        image,
        params,
        graph_ops,
        build_seconds,
        first_step_seconds,
        stepSecondsMedian,
        tfPeakBytes,
        tfStepPeakBytes,
        rss_peak_bytes,
        status,
        state_dtype,
        dtype,
        kernels);
  }

  /** A row for a configuration that did not finish. */
  static ProbeResult failed(
      String model,
      String mode,
      String stateDtype,
      String dtype,
      int layers,
      int blocks,
      int batch,
      int image,
      String status) {
    return new ProbeResult(
        model,
        mode,
        layers,
        blocks,
        batch,
        image,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        status,
        stateDtype,
        dtype,
        "");
  }

  String csv() {
    return String.join(
        ",",
        model,
        mode,
        Integer.toString(layers),
        Integer.toString(blocks),
        Integer.toString(batch),
        Integer.toString(image),
        Long.toString(params),
        Integer.toString(graph_ops),
        String.format(Locale.ROOT, "%.3f", build_seconds),
        String.format(Locale.ROOT, "%.3f", first_step_seconds),
        String.format(Locale.ROOT, "%.4f", step_seconds_median),
        Long.toString(tf_peak_bytes),
        Long.toString(tf_step_peak_bytes),
        Long.toString(rss_peak_bytes),
        status,
        state_dtype,
        dtype == null ? "float32" : dtype,
        conv_kernels == null ? "" : conv_kernels);
  }

  String json() {
    return GSON.toJson(this);
  }

  static ProbeResult fromJson(String line) {
    return GSON.fromJson(line, ProbeResult.class);
  }

  boolean ok() {
    return "ok".equals(status);
  }
}
