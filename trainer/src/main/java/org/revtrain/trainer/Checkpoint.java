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
   * The test set of {@code source}, or of the run's own data where {@code source} is null (which a
   * run trained on data given in memory does not have).
   *
   * @throws UsageException naming the data if their images or classes do not fit the network, or if
   *     {@code source} is null and the run's data were given in memory
   */
  public ImageDataset testSet(DataSource source) {
    if (source == null && state.config().inMemoryData()) {
      throw new UsageException(
          runDirectory()
              + " was trained on data given in memory ("
              + state.input()
              + "): give the test data to evaluate it on");
    }
    DataSource data = source != null ? source : DataSource.parse(state.config().data());
    ImageDataset test = data.load().test();
    state.input().require(test, data, "the checkpoint's network");
    return test;
  }
}
