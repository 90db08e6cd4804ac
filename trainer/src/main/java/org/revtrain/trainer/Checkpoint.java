package org.revtrain.trainer;

import java.nio.file.Path;
import org.revtrain.trainer.data.DataSource;
import org.revtrain.trainer.data.ImageDataset;

/**
 * One complete checkpoint on disk: a directory {@code step-NNNNNNNN} holding the variables ({@code
 * variables.index}, {@code variables.data-*}) and {@code checkpoint.json}.
 *
 * @param directory the checkpoint's directory
 * @param state what {@code checkpoint.json} records
 */
public record Checkpoint(Path directory, CheckpointState state) {
  /** Prefix of the variable files inside a checkpoint directory. */
  public static final String VARIABLES = "variables";

  /** The prefix that {@code Session.save} and {@code Session.restore} take. */
  public Path variables() {
    return directory.resolve(VARIABLES);
  }

  /** The run directory the checkpoint belongs to ({@code RUN/checkpoints/step-...}). */
  public Path runDirectory() {
    Path parent = directory.toAbsolutePath().getParent();
    return parent.getParent() != null ? parent.getParent() : parent;
  }

  /**
   * The test set of {@code source}, or of the run's own data where {@code source} is null.
   *
   * @throws UsageException naming {@code --data} if its images or classes do not fit the network
   */
  public ImageDataset testSet(DataSource source) {
    DataSource data = source != null ? source : DataSource.parse(state.config().data());
    ImageDataset test = data.load().test();
    state.input().require(test, data, "the checkpoint's network");
    return test;
  }
}
