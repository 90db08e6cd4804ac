package org.revtrain.trainer.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.revtrain.trainer.Checkpoint;
import org.revtrain.trainer.CheckpointDamage;
import org.revtrain.trainer.Checkpoints;
import org.revtrain.trainer.UsageException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Library calls on a file or directory that an option names. The library's messages start with the
 * path; here they get the option's name in front, so the user's one line says which option and
 * which file. Warnings go to stderr.
 */
public final class NamedInput {
  private NamedInput() {}

  /**
   * Runs {@code call}; a {@link UsageException} it throws is thrown again with {@code option} in
   * front of its message.
   */
  public static <T> T of(String option, Supplier<T> call) {
    try {
      return call.get();
    } catch (UsageException e) {
      throw new UsageException(option + " " + e.getMessage(), e);
    }
  }

  /** As {@link #of(String, Supplier)}, for a check that returns nothing. */
  public static void check(String option, Runnable call) {
    of(
        option,
        () -> {
          call.run();
          return null;
        });
  }

  /**
   * The newest usable checkpoint at {@code path} ({@link Checkpoints#find}), with one warning line
   * on stderr for each newer one that is damaged and passed over.
   *
   * @throws UsageException after {@code option}'s name if there is none
   */
  public static Checkpoint checkpoint(CommandSpec spec, String option, Path path) {
    Checkpoints.Selection s = of(option, () -> Checkpoints.find(path));
    Checkpoint c = s.checkpoint().orElseThrow();
    PrintWriter err = spec.commandLine().getErr();
    for (CheckpointDamage d : s.damaged()) {
      err.println(
          spec.qualifiedName()
              + ": warning: "
              + d
              + "; using the older checkpoint "
              + c.directory().getFileName());
    }
    err.flush();
    return c;
  }
}
