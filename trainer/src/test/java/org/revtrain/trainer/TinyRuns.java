package org.revtrain.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.revtrain.models.BlockKind;
import org.revtrain.models.ModelSpec;
import org.revtrain.trainer.data.BuiltinDataset;
import org.revtrain.trainer.data.DataSplit;

/** Tiny models and data sets that train in a fraction of a second per step. */
final class TinyRuns {
  private TinyRuns() {}

  /** 64 training and 40 test images of the built-in kind (32x32x3, 10 classes). */
  static final DataSplit DATA = BuiltinDataset.generate(5, 64, 40);

  /** Two units of 2 and 1 Hamiltonian blocks with batch norm, 4-4-8 channels. */
  static ModelSpec model() {
    return ModelSpec.builder(BlockKind.HAMILTONIAN)
        .name("tiny")
        .blocksPerUnit(2, 1)
        .filters(4, 4, 8)
        .stepSize(0.5)
        .batchNorm(true)
        .build();
  }

  /** Batches of 8 (8 steps an epoch), the given number of steps. */
  static TrainingConfig.Builder config(int steps) {
    return TrainingConfig.builder().model(model()).batch(8).steps(steps).learningRate(0.05).seed(3);
  }

  /** Records every step's loss. */
  static final class Losses implements TrainingListener {
    final List<Double> values = new ArrayList<>();
    final int stopAt;
    Trainer trainer;

    Losses(int stopAt) {
      this.stopAt = stopAt;
    }

    @Override
    public void stepped(StepReport r) {
      values.add(r.loss());
      if (r.step() == stopAt) {
        trainer.requestStop();
      }
    }
  }

  /** Trains {@code config} into {@code dir}, stopping after {@code stopAt} steps (0: never). */
  static Losses train(TrainingConfig config, Path dir, Checkpoint resume, int stopAt)
      throws IOException {
    Losses losses = new Losses(stopAt);
    Trainer.Builder b = Trainer.builder(config, dir).data(DATA).listener(losses);
    if (resume != null) {
      b.resumeFrom(resume);
    }
    Trainer t = b.build();
    losses.trainer = t;
    t.run();
    return losses;
  }
}
