package org.revtrain.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Network;
import org.revtrain.models.ParameterValues;
import org.revtrain.models.TrainingStep;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.measure.TensorValues;
import org.revtrain.trainer.Precision;
import org.revtrain.trainer.UsageException;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ablate gradients}: does the reversible backward add error beyond float32's own? For each
 * family and depth, the gradient of every parameter is computed from the same weights and batch by
 * float64 STORED (the reference) and by float32 networks in each mode, with the reversible units'
 * state carried in float32 and in float64 ({@link ModelSpec.Builder#float64State}), and optionally
 * with bfloat16 fields on the float32 weights ({@link ModelSpec.Builder#fieldType}); ‖g − g_ref‖ /
 * ‖g_ref‖ over all parameters is reported with the reconstruction error.
 */
@Command(
    name = "gradients",
    mixinStandardHelpOptions = true,
    description = "Float32 REVERSIBLE and STORED gradients against a float64 STORED reference.")
final class GradientFidelity implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--models",
      split = ",",
      defaultValue = "hamiltonian,midpoint,leapfrog,revnet",
      paramLabel = "FAMILY",
      description = "Reversible block families (default: ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(
      names = "--layers",
      split = ",",
      defaultValue = "38,110,218",
      paramLabel = "L",
      description = "Depths in layers (default: ${DEFAULT-VALUE}).")
  List<Integer> layers;

  @Option(
      names = "--modes",
      split = ",",
      defaultValue = "stored,reversible",
      paramLabel = "MODE",
      description =
          "Modes of the float32 networks compared with the float64 STORED reference:"
              + " stored, reversible, checkpoint:K (default: ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(
      names = "--state-dtypes",
      split = ",",
      defaultValue = "float32,float64",
      paramLabel = "DTYPE",
      description =
          "Types the float32 networks carry their reversible state in (default: ${DEFAULT-VALUE}).")
  List<String> stateDtypes;

  @Option(
      names = "--dtypes",
      split = ",",
      defaultValue = "float32",
      paramLabel = "DTYPE",
      description =
          "Precisions of the networks compared with the reference: float32, or bfloat16 (the"
              + " reversible units' convolutions and batch norm in bfloat16 on float32 weights)"
              + " (default: ${DEFAULT-VALUE}).")
  List<String> dtypes;

  @Option(
      names = "--batch",
      defaultValue = "8",
      paramLabel = "N",
      converter = OptionConverters.AtLeastOne.class,
      description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--image",
      defaultValue = "16",
      paramLabel = "PX",
      converter = OptionConverters.AtLeastOne.class,
      description = "Image side, 3 channels (default: ${DEFAULT-VALUE}).")
  int image;

  @Option(
      names = "--out",
      defaultValue = "runs/ablate-gradients",
      paramLabel = "DIR",
      description = "Where gradients.csv and gradients.png go (default: ${DEFAULT-VALUE}).")
  Path out;

  record Row(
      String model,
      int layers,
      String mode,
      String dtype,
      String stateDtype,
      double relativeError,
      double reconstructionError) {
    String csv() {
      return String.format(
          Locale.ROOT,
          "%s,%d,%s,%s,%.6e,%.6e,%s",
          model,
          layers,
          mode,
          dtype,
          relativeError,
          reconstructionError,
          stateDtype);
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter w = spec.commandLine().getOut();
    ModelFamilies.check(
        new ModelFamilies.Flags("--models", "--modes", "--state-dtypes"),
        models,
        layers,
        modes,
        stateDtypes);
    List<Precision> precisions = new ArrayList<>();
    for (String d : dtypes) {
      Precision p;
      try {
        p = Precision.parse(d);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--dtypes " + d + ": " + e.getMessage());
      }
      if (p == Precision.FLOAT64) {
        throw new UsageException(
            "--dtypes float64: the reference is float64; compare float32" + " or bfloat16");
      }
      precisions.add(p);
    }
    List<GradientMode> parsed = modes.stream().map(GradientMode::parse).toList();
    List<Row> rows = new ArrayList<>();
    for (String m : models) {
      for (int l : layers) {
        ModelSpec model = ModelFamilies.at(m, l);
        Fetched ref = run(model, GradientMode.stored(), TFloat64.class, null);
        for (String state : stateDtypes) {
          for (Precision precision : precisions) {
            ModelSpec variant = precision.fields(ModelFamilies.at(m, l, state));
            for (GradientMode mode : parsed) {
              Fetched f = run(variant, mode, TFloat32.class, ref.weights);
              Row r =
                  new Row(
                      m,
                      l,
                      mode.toString(),
                      precision.id(),
                      state,
                      relativeError(f.gradients, ref.gradients),
                      f.reconstructionError);
              rows.add(r);
              w.printf(
                  Locale.ROOT,
                  "%-12s %5d layers %-13s %s, %s state: gradient error %.3e,"
                      + " reconstruction error %.3e%n",
                  m,
                  l,
                  mode,
                  precision.id(),
                  state,
                  r.relativeError(),
                  r.reconstructionError());
              w.flush();
            }
          }
        }
        write(out, rows);
      }
    }
    w.println("wrote " + out.resolve("gradients.csv") + ", gradients.png");
    return 0;
  }

  private record Fetched(
      Map<String, double[]> weights, Map<String, double[]> gradients, double reconstructionError) {}

  private <T extends TFloating> Fetched run(
      ModelSpec model, GradientMode mode, Class<T> dtype, Map<String, double[]> initial) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (Network<T> net = Network.create(tf, model, 3, 10, mode, dtype, 1)) {
        Random rnd = new Random(7);
        double[] pixels = new double[batch * image * image * 3];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = rnd.nextGaussian();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
          labels[i] = rnd.nextInt(10);
        }
        Operand<T> images =
            tf.dtypes.cast(
                tf.constant(Shape.of(batch, image, image, 3), DataBuffers.of(pixels, true, false)),
                dtype);
        TrainingStep<T> step =
            net.trainingStep(tf, images, tf.constant(labels), tf.constant(new long[] {1, 2}));
        try (Session s = new Session(g)) {
          s.initialize();
          if (initial != null) {
            ParameterValues.write(tf, s, net, initial);
          }
          Map<String, double[]> weights = ParameterValues.read(tf, s, net);
          Session.Runner grad = s.runner().fetch(step.reconstructionError());
          List<String> gnames = new ArrayList<>(step.gradients().keySet());
          gnames.forEach(n -> grad.fetch(step.gradients().get(n)));
          Map<String, double[]> gradients = new LinkedHashMap<>();
          double error;
          try (Result res = grad.run()) {
            error = TensorValues.doubles(res.get(0))[0];
            for (int i = 0; i < gnames.size(); i++) {
              gradients.put(gnames.get(i), TensorValues.doubles(res.get(i + 1)));
            }
          }
          return new Fetched(weights, gradients, error);
        }
      }
    }
  }

  /** ‖g − g_ref‖ / ‖g_ref‖ over all parameters together. */
  static double relativeError(Map<String, double[]> g, Map<String, double[]> ref) {
    double num = 0;
    double den = 0;
    for (Map.Entry<String, double[]> e : ref.entrySet()) {
      double[] x = g.get(e.getKey());
      double[] y = e.getValue();
      for (int i = 0; i < y.length; i++) {
        num += (x[i] - y[i]) * (x[i] - y[i]);
        den += y[i] * y[i];
      }
    }
    return Math.sqrt(num / den);
  }

  /** Writes {@code gradients.csv} and {@code gradients.png} into {@code out}. */
  static void write(Path out, List<Row> rows) throws IOException {
    Files.createDirectories(out);
    List<String> csv = new ArrayList<>();
    csv.add("model,layers,mode,dtype,relative_error,reconstruction_error,state_dtype");
    rows.forEach(r -> csv.add(r.csv()));
    Files.write(out.resolve("gradients.csv"), csv);
    // one panel per state type, one line per family and mode
    Map<String, Map<String, List<Row>>> panels = new LinkedHashMap<>();
    rows.forEach(
        r ->
            panels
                .computeIfAbsent(r.stateDtype(), k -> new LinkedHashMap<>())
                .computeIfAbsent(
                    r.model()
                        + " "
                        + r.mode()
                        + ("float32".equals(r.dtype()) ? "" : " " + r.dtype()),
                    k -> new ArrayList<>())
                .add(r));
    List<XYChart> charts = new ArrayList<>();
    panels.forEach(
        (state, series) -> {
          XYChart c =
              new XYChartBuilder()
                  .width(640)
                  .height(480)
                  .title("gradient error vs float64 STORED, " + state + " state")
                  .xAxisTitle("layers")
                  .yAxisTitle("relative L2 error")
                  .build();
          c.getStyler().setYAxisLogarithmic(true);
          c.getStyler().setXAxisLogarithmic(true);
          c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
          series.forEach(
              (k, s) ->
                  c.addSeries(
                          k,
                          s.stream().mapToDouble(Row::layers).toArray(),
                          s.stream().mapToDouble(r -> Math.max(r.relativeError(), 1e-12)).toArray())
                      .setMarker(SeriesMarkers.CIRCLE));
          charts.add(c);
        });
    BitmapEncoder.saveBitmap(
        charts,
        1,
        charts.size(),
        out.resolve("gradients.png").toString(),
        BitmapEncoder.BitmapFormat.PNG);
  }
}
