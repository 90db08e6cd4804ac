package org.revtrain.trainer.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.revtrain.trainer.Checkpoint;
import org.revtrain.trainer.ImageShape;
import org.revtrain.trainer.InferenceModel;
import org.revtrain.trainer.RunDirectory;
import org.tensorflow.Signature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code revtrain export}: a SavedModel of a checkpoint's inference graph. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes a TensorFlow SavedModel (tag serve) of a checkpoint's inference graph.",
      "Signature "
          + Signature.DEFAULT_KEY
          + ": input '"
          + InferenceModel.INPUT
          + "' float32 [N, H, W, C] raw pixels"
          + " (the training set's standardisation is inside the graph), output '"
          + InferenceModel.OUTPUT
          + "' [N, classes]."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      required = true,
      description = "A run directory (its latest checkpoint) or a checkpoint directory.")
  Path checkpoint;

  @Option(
      names = "--saved-model",
      paramLabel = "DIR",
      required = true,
      description = "Where to write the SavedModel: a new or empty directory.")
  Path savedModel;

  @Override
  public Integer call() throws IOException {
    OutputDirectory.require("--saved-model", savedModel);
    NamedInput.check("--saved-model", () -> RunDirectory.requireNewOrEmpty(savedModel));
    Checkpoint c = NamedInput.checkpoint(spec, "--checkpoint", checkpoint);
    try (InferenceModel<?> m = InferenceModel.open(c)) {
      m.exportSavedModel(savedModel);
      ImageShape s = m.shape();
      spec.commandLine()
          .getOut()
          .println(
              String.format(
                  Locale.ROOT,
                  "wrote SavedModel %s (%s at step %d; signature %s: %s float32 [N, %d, %d, %d] ->"
                      + " %s [N, %d])",
                  savedModel,
                  c.state().config().model().name(),
                  c.state().step(),
                  Signature.DEFAULT_KEY,
                  InferenceModel.INPUT,
                  s.height(),
                  s.width(),
                  s.channels(),
                  InferenceModel.OUTPUT,
                  s.classes()));
      spec.commandLine().getOut().flush();
    }
    return ExitCodes.OK;
  }
}
