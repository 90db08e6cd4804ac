package org.revtrain.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.revtrain.models.Discretisation;
import org.revtrain.models.ModelSpec;
import org.revtrain.models.Network;
import org.revtrain.models.NetworkParameter;
import org.revtrain.models.ParameterValues;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.VariableSaver;
import org.revtrain.trainer.data.ImageDataset;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.family.TFloating;

/**
 * A trained network for inference, restored from a {@link Checkpoint}: raw images (as the data
 * layer reads them, before standardisation) in, logits out. The training set's standardisation is
 * part of the graph, so the exported SavedModel takes the same raw images.
 *
 * <p>SavedModel signature {@value Signature#DEFAULT_KEY}: input {@value #INPUT} float32 [N, H, W,
 * C], output {@value #OUTPUT} [N, classes] in the model's dtype. Owns a native graph and session.
 */
public final class InferenceModel<T extends TFloating> implements AutoCloseable {
  /** Name of the signature's input. */
  public static final String INPUT = "images";

  /** Name of the signature's output. */
  public static final String OUTPUT = "logits";

  private final NativeResources resources = new NativeResources();
  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final Network<T> network;
  private final EvaluationGraph<T> evaluation;
  private final ImageShape shape;

  /**
   * @param discretisation how to integrate the trained network's ODE
   * @param trained the trained network's variable values, for a discretisation that does not leave
   *     the network as it is; null to restore the checkpoint's variables directly
   */
  private InferenceModel(
      Checkpoint checkpoint,
      Class<T> dtype,
      ConfigProto sessionConfig,
      Discretisation discretisation,
      Map<String, double[]> trained) {
    CheckpointState state = checkpoint.state();
    this.shape = state.input();
    this.graph = resources.add(new Graph());
    try {
      Ops tf = Ops.create(graph);
      TrainingConfig c = state.config();
      ModelSpec spec = c.precision().fields(discretisation.apply(c.model()));
      // inference runs the forward pass only, the same in every mode; another solver may be
      // explicit (hamiltonian-rk4 for a REVERSIBLE Hamiltonian network): STORED then
      GradientMode mode = spec.kind().supports(c.mode()) ? c.mode() : GradientMode.stored();
      Network<T> net =
          resources.add(
              Network.create(tf, spec, shape.channels(), shape.classes(), mode, dtype, c.seed()));
      evaluation = new EvaluationGraph<>(tf, net, shape, dtype, state.standardization(), "");
      VariableSaver.addTo(
          tf, net.parameters().values().stream().map(NetworkParameter::variable).toList());
      Session s = resources.add(new Session(graph, sessionConfig));
      if (trained == null) {
        s.restore(checkpoint.variables().toString());
      } else {
        s.initialize();
        ParameterValues.write(tf, s, net, discretisation.values(net, trained));
      }
      this.tf = tf;
      this.network = net;
      this.session = s;
    } catch (RuntimeException e) {
      resources.close();
      throw e;
    }
  }

  /** The network of {@code checkpoint} with its weights and running statistics. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static InferenceModel<?> open(Checkpoint checkpoint) {
    return new InferenceModel(
        checkpoint,
        checkpoint.state().config().precision().type(),
        Device.CPU.sessionConfig(),
        Discretisation.AS_TRAINED,
        null);
  }

  /**
   * The network of {@code checkpoint} integrated another way: its ODE with smaller steps or another
   * solver, with the trained weights and running statistics ({@link Discretisation}).
   *
   * @throws IllegalArgumentException if the trained network's blocks cannot be integrated that way
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static InferenceModel<?> open(Checkpoint checkpoint, Discretisation discretisation) {
    TrainingConfig c = checkpoint.state().config();
    discretisation.apply(c.model()); // fails before anything is built
    if (discretisation.leaves(c.model())) {
      return open(checkpoint);
    }
    Map<String, double[]> trained;
    try (InferenceModel<?> m = open(checkpoint)) {
      trained = m.parameterValues();
    }
    return new InferenceModel(
        checkpoint, c.precision().type(), Device.CPU.sessionConfig(), discretisation, trained);
  }

  /** The values of the network's variables (trainable and running statistics), by name. */
  public Map<String, double[]> parameterValues() {
    return ParameterValues.read(tf, session, network);
  }

  /** The input the network takes. */
  public ImageShape shape() {
    return shape;
  }

  /** Loss and accuracy on raw (unstandardised) data. */
  public Evaluation evaluate(ImageDataset raw, int batchSize) {
    return evaluate(raw, batchSize, null);
  }

  /**
   * Loss and accuracy on raw data, and each example's predicted class (argmax of its logits)
   * written to {@code predictions[i]}, in the same pass.
   *
   * @param predictions at least {@code raw.size()} long, or null for none
   */
  public Evaluation evaluate(ImageDataset raw, int batchSize, int[] predictions) {
    if (!shape.matches(raw)) {
      throw new UsageException("data " + raw + " do not fit the network, which takes " + shape);
    }
    if (predictions != null && predictions.length < raw.size()) {
      throw new IllegalArgumentException(
          "predictions hold "
              + predictions.length
              + " classes, the data "
              + raw.size()
              + " examples");
    }
    return evaluation.evaluate(session, raw, batchSize, predictions);
  }

  /** The logits [count × classes] of the first {@code count} raw images of an NHWC buffer. */
  public double[] logits(float[] rawPixels, int count) {
    return evaluation.logits(session, rawPixels, count);
  }

  /**
   * Writes a SavedModel (tag {@code serve}) of the inference graph with signature {@value
   * Signature#DEFAULT_KEY}.
   *
   * @param directory a directory that does not exist or is empty
   * @throws UsageException naming what the directory holds if it is not empty
   */
  public void exportSavedModel(Path directory) throws IOException {
    RunDirectory.requireNewOrEmpty(directory);
    Files.createDirectories(directory);
    Signature signature =
        Signature.builder()
            .key(Signature.DEFAULT_KEY)
            .input(INPUT, evaluation.images)
            .output(OUTPUT, evaluation.logits)
            .build();
    SavedModelBundle.exporter(directory.toString())
        .withFunction(session.function(signature))
        .export();
  }

  @Override
  public void close() {
    resources.close();
  }
}
