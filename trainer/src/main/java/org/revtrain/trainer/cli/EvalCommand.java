package org.revtrain.trainer.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.revtrain.models.Discretisation;
import org.revtrain.trainer.Checkpoint;
import org.revtrain.trainer.Evaluation;
import org.revtrain.trainer.InferenceModel;
import org.revtrain.trainer.Trainer;
import org.revtrain.trainer.UsageException;
import org.revtrain.trainer.data.DataSource;
import org.revtrain.trainer.data.ImageDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code revtrain eval}: test loss and accuracy of a checkpoint. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints the test loss and accuracy of a checkpoint (the inference graph: running batch-norm"
          + " statistics).",
      "--refine and --solver integrate the network's ODE another way with the same weights (Ott et"
          + " al.'s 'ResNet After All?' checks; 'revtrain ode-check' runs a sweep of them)."
    })
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      required = true,
      description = "A run directory (its latest checkpoint) or a checkpoint directory.")
  Path checkpoint;

  @Option(
      names = "--data",
      paramLabel = "SPEC",
      converter = Converters.Data.class,
      description = "Test data (default: the run's): " + Converters.Data.FORMS)
  DataSource data;

  @Mixin DiscretisationOptions discretisation;

  @Override
  public Integer call() {
    Checkpoint c = NamedInput.checkpoint(spec, "--checkpoint", checkpoint);
    Discretisation d = discretisation.of(c.state().config().model());
    if (data == null && c.state().config().inMemoryData()) {
      throw new UsageException(
          "--data is required: "
              + c.runDirectory()
              + " was trained on data given in memory ("
              + c.state().input()
              + ")");
    }
    ImageDataset test = c.testSet(data);
    try (InferenceModel<?> m = InferenceModel.open(c, d)) {
      Evaluation e = m.evaluate(test, Trainer.EVAL_BATCH);
      spec.commandLine()
          .getOut()
          .println(
              String.format(
                  Locale.ROOT,
                  "test loss %.4f, test accuracy %.2f%% (%d images of %s; %s at step %d)",
                  e.loss(),
                  100 * e.accuracy(),
                  e.examples(),
                  data != null ? data : c.state().config().data(),
                  d.name(c.state().config().model()),
                  c.state().step()));
      spec.commandLine().getOut().flush();
    }
    return ExitCodes.OK;
  }
}
