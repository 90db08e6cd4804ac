package org.revtrain.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revtrain.trainer.Device;
import org.revtrain.trainer.UsageException;

/** Bad input: one line on stderr naming the file or flag and what is wrong, exit code 2. */
class BadInputTest {
  @TempDir Path dir;

  private String[] train(String... more) {
    String[] base = {
      "train",
      "--model",
      Cli.TINY_MODEL,
      "--steps",
      "1",
      "--batch",
      "8",
      "--out",
      dir.resolve("run").toString()
    };
    String[] all = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void missingDataDirectory() {
    Path missing = dir.resolve("no-such-dir");
    Cli.run(train("--data", "idx:" + missing))
        .assertUsageError(missing.toString(), "does not exist");
  }

  @Test
  void badIdxMagic() throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    Files.write(data.resolve("train-images-idx3-ubyte"), Cli.images(80, 0x00000999));
    Cli.run(train("--data", "idx:" + data))
        .assertUsageError("train-images-idx3-ubyte", "bad IDX magic");
  }

  @Test
  void truncatedFile() throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    byte[] whole = Cli.images(40, 0x00000803);
    Files.write(data.resolve("t10k-images-idx3-ubyte"), Arrays.copyOf(whole, whole.length - 100));
    Cli.run(train("--data", "idx:" + data)).assertUsageError("t10k-images-idx3-ubyte", "truncated");
  }

  @Test
  void aTestLabelTheTrainingLabelsDoNotHave() throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    Files.write(data.resolve("t10k-labels-idx1-ubyte"), Cli.labels(40, 17, 12));
    Cli.run(train("--data", "idx:" + data))
        .assertUsageError("t10k-labels-idx1-ubyte", "label 12", "out of range [0, 10)");
  }

  @Test
  void anEmptyTrainingSet() throws Exception {
    Path data = Cli.idx(dir.resolve("data"));
    Files.write(data.resolve("train-images-idx3-ubyte"), Cli.images(0, 0x00000803));
    Files.write(data.resolve("train-labels-idx1-ubyte"), Cli.labels(0, -1, 0));
    Cli.run(train("--data", "idx:" + data))
        .assertUsageError("train-images-idx3-ubyte", "holds no images");
  }

  @Test
  void imagesTooSmallForTheNetworksPoolingAreRefusedBeforeItIsBuilt() throws Exception {
    Path data = Cli.idx(dir.resolve("data"), 16, 8, 2, 10);
    Path out = dir.resolve("run");
    Cli.run("train", "--data", "idx:" + data, "--steps", "1", "--batch", "8", "--out", "" + out)
        .assertUsageError("idx:" + data, "images are 2x2", "hamiltonian-tiny", "at least 4x4");
    assertFalse(Files.exists(out), "no run directory for a run that cannot start");
  }

  @Test
  void outputDirectoriesThatCannotBeCreated() throws Exception {
    Path file = Files.writeString(dir.resolve("afile"), "x");
    String throughFile = file.resolve("sub").toString();
    String[][] cases = {
      {"/proc/revtrain", "cannot create directory /proc/revtrain: No such file or directory"},
      {"/proc/self/run", "cannot create directory /proc/self/run: No such file or directory"},
      {throughFile, file + " is a file, not a directory"}
    };
    for (String[] c : cases) {
      Cli.run("train", "--model", Cli.TINY_MODEL, "--steps", "1", "--out", c[0])
          .assertUsageError("--out " + c[0] + ": " + c[1]);
      Cli.run("export", "--checkpoint", dir.toString(), "--saved-model", c[0])
          .assertUsageError("--saved-model " + c[0] + ": " + c[1]);
    }
    Cli.run("export", "--checkpoint", dir.toString(), "--saved-model", file.toString())
        .assertUsageError("--saved-model " + file + ": is a file, not a directory");
  }

  @Test
  void anUnwritableDirectory() {
    // tests run as root, who may write in any directory but the kernel's
    Cli.run("train", "--model", Cli.TINY_MODEL, "--steps", "1", "--out", "/proc/self")
        .assertUsageError("--out /proc/self: directory is not writable");
  }

  @Test
  void unknownModel() {
    Cli.run("train", "--model", "hamiltonian-9999")
        .assertUsageError("--model hamiltonian-9999", "unknown model");
  }

  @Test
  void oddChannelsForASplitBlock() {
    Cli.run("train", "--model", "hamiltonian:1,1:4,5,9")
        .assertUsageError("--model", "even", "got 5");
  }

  @Test
  void negativeBatch() {
    Cli.run("train", "--batch", "-5").assertUsageError("--batch must be at least 1, got -5");
  }

  @Test
  void badMode() {
    Cli.run("train", "--mode", "sideways").assertUsageError("--mode", "unknown mode 'sideways'");
    Cli.run("train", "--mode", "checkpoint:0")
        .assertUsageError("--mode", "checkpoint interval must be at least 1");
  }

  @Test
  void aModelThatCannotTrainInTheModeLeavesNoRunBehind() {
    Path out = dir.resolve("resnet");
    Cli.run(
            "train",
            "--model",
            "resnet-32",
            "--mode",
            "reversible",
            "--steps",
            "1",
            "--out",
            out.toString())
        .assertUsageError(
            "resnet blocks are not invertible", "reversible mode", "support only: stored");
    assertFalse(Files.exists(out), "no run directory for a run that cannot start");
  }

  @Test
  void initFromConflictsWithOptionsThatNameAnotherNetwork() {
    Cli.run("train", "--refine", "2").assertUsageError("--refine needs --init-from");
    Cli.run("train", "--init-from", dir.toString(), "--model", "hamiltonian-38")
        .assertUsageError("--model cannot be given with --init-from");
    Cli.run("train", "--init-from", dir.toString(), "--resume", dir.toString())
        .assertUsageError("--init-from", "--resume");
    Cli.run("train", "--init-from", dir.resolve("none").toString())
        .assertUsageError("--init-from", "no such directory");
  }

  @Test
  void refinementEpochsOutOfOrderOrAfterTheRunOrOfANetworkThatIsNoOde() {
    Cli.run("train", "--refine-at", "3,1").assertUsageError("--refine-at", "increasing", "3,1");
    Cli.run("train", "--refine-at", "0").assertUsageError("--refine-at", "at least 1");
    Cli.run("train", "--model", "revnet-38", "--refine-at", "1")
        .assertUsageError("--refine-at: revnet-38", "cannot be refined");
    Cli.run("train", "--stochastic-depth", "0")
        .assertUsageError("--stochastic-depth 0.0: final survival probability must be in (0, 1]");
    Cli.run("train", "--tolerance", "2").assertUsageError("--tolerance needs --adapt-steps");
    Cli.run("train", "--adapt-steps", "--tolerance", "-1").assertUsageError("--tolerance", "-1");
    Cli.run("train", "--adapt-steps", "--refine-at", "1")
        .assertUsageError("--adapt-steps and --refine-at");
    Cli.run("train", "--model", "revnet-38", "--adapt-steps")
        .assertUsageError("--adapt-steps: revnet-38", "cannot be refined");
    Cli.run(train("--refine-at", "1"))
        .assertUsageError("--refine-at 1: the run ends after 1 steps");
  }

  @Test
  void epochsAndStepsBothGiven() {
    Cli.run("train", "--epochs", "2", "--steps", "10").assertUsageError("--epochs and --steps");
  }

  @Test
  void nonNumericAndUnknownOptions() {
    Cli.run("train", "--lr", "fast").assertUsageError("--lr", "fast");
    Cli.run("train", "--lr", "-1").assertUsageError("--lr must be a finite number > 0");
    Cli.run("train", "--h", "0").assertUsageError("--h: step size h must be a finite number > 0");
    Cli.run("train", "--colour").assertUsageError("--colour");
    Cli.run("train", "--data", "mnist").assertUsageError("--data", "unknown data spec 'mnist'");
    Cli.run("train", "--dtype", "float16").assertUsageError("--dtype", "float16");
    Cli.run("train", "--model", "resnet-32", "--dtype", "bfloat16")
        .assertUsageError("--dtype bfloat16: resnet blocks are not reversible");
    Cli.run("train", "--drift-tolerance", "2")
        .assertUsageError("--drift-tolerance", "a number in (0, 1) or off, got '2'");
    Cli.run("train", "--drift-tolerance", "tight").assertUsageError("--drift-tolerance", "tight");
  }

  @Test
  void missingCifarDirectoryAndCheckpoints() {
    Path missing = dir.resolve("cifar");
    Cli.run(train("--data", "cifar10:" + missing)).assertUsageError(missing.toString());
    Cli.run("eval", "--checkpoint", dir.toString())
        .assertUsageError("--checkpoint " + dir, "no complete checkpoint");
    Cli.run(
            "export",
            "--checkpoint",
            missing.toString(),
            "--saved-model",
            dir.resolve("m").toString())
        .assertUsageError("--checkpoint " + missing, "no such directory");
    Cli.run("train", "--resume", missing.toString())
        .assertUsageError("--resume " + missing, "no such directory");
    Cli.run("eval").assertUsageError("--checkpoint");
  }

  @Test
  void gpuWithoutAGpu() {
    boolean gpu;
    try {
      Device.GPU.checkAvailable();
      gpu = true;
    } catch (UsageException e) {
      gpu = false;
    }
    assumeFalse(gpu, "this machine has a GPU");
    Cli.run(train("--device", "gpu")).assertUsageError("--device gpu", "no GPU");
  }
}
