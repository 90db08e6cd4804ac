package org.revtrain.trainer;

import org.revtrain.trainer.data.Augmentation;
import org.revtrain.trainer.data.Batches;
import org.revtrain.trainer.data.DataSplit;
import org.revtrain.trainer.data.ImageDataset;
import org.revtrain.trainer.data.Standardization;
import org.revtrain.trainer.data.StratifiedSubsample;

/**
 * The data side of a run: the training set's stratified subsample ({@link
 * TrainingConfig#trainFraction}, all of it by default), the sets standardised with the training
 * set's statistics, the batch order and the augmentation. Step s of a run with E batches per epoch
 * trains on batch s mod E of epoch ⌊s / E⌋, augmented with a generator seeded by (seed, epoch,
 * batch): a pure function of (seed, s), so that a resumed run sees the batches of an uninterrupted
 * one.
 *
 * @param shape the images and classes
 * @param standardization per-channel statistics of the training set
 * @param train the standardised training set
 * @param test the standardised test set
 * @param batches the shuffled training batches
 * @param augmentation applied to every training batch
 * @param heldOut the raw (unstandardised) examples held out of the training set for the step-size
 *     check ({@link TrainingConfig#adaptTolerance}), or null
 */
record TrainingData(
    ImageShape shape,
    Standardization standardization,
    ImageDataset train,
    ImageDataset test,
    Batches batches,
    Augmentation augmentation,
    ImageDataset heldOut) {
  /** The fraction of the training set held out for the step-size check. */
  static final double HELD_OUT_FRACTION = 0.1;

  /** Seeds the held-out draw apart from the training fraction's. */
  private static final long HELD_OUT_STREAM = 0x4E1D0F7L;

  /**
   * Prepares {@code split} for {@code config}.
   *
   * @param statistics the standardisation to use (a resumed run's), or null to fit it on the
   *     training set
   * @throws UsageException if the images are too small for the network or the batch is larger than
   *     the training set
   */
  static TrainingData prepare(DataSplit split, TrainingConfig config, Standardization statistics) {
    ImageShape shape = ImageShape.of(split.train());
    int side = config.model().smallestImageSide();
    if (shape.height() < side || shape.width() < side) {
      throw new UsageException(
          config.data()
              + ": images are "
              + shape.height()
              + "x"
              + shape.width()
              + ", too small for "
              + config.model().name()
              + ", whose "
              + (config.model().units() - 1)
              + " pooling transitions need at least "
              + side
              + "x"
              + side);
    }
    ImageDataset kept = StratifiedSubsample.of(split.train(), config.fraction(), config.seed());
    ImageDataset heldOut = null;
    if (config.adaptTolerance() != null) {
      int[] held =
          StratifiedSubsample.indices(
              kept.labels(), kept.numClasses(), HELD_OUT_FRACTION, config.seed() ^ HELD_OUT_STREAM);
      heldOut = kept.subset(held);
      kept = kept.subset(complement(held, kept.size()));
    }
    Standardization s = statistics != null ? statistics : Standardization.fit(kept);
    ImageDataset train = s.apply(kept);
    if (train.size() < config.batch()) {
      throw new UsageException(
          UsageException.Setting.BATCH,
          config.batch() + ": larger than the training set (" + train.size() + " examples)",
          null);
    }
    return new TrainingData(
        shape,
        s,
        train,
        s.apply(split.test()),
        Batches.shuffled(train, config.batch(), config.seed()),
        config.augmentation(shape.channels()),
        heldOut);
  }

  /** The indices in [0, n) that {@code ascending} does not hold. */
  private static int[] complement(int[] ascending, int n) {
    int[] rest = new int[n - ascending.length];
    int k = 0;
    int r = 0;
    for (int i = 0; i < n; i++) {
      if (k < ascending.length && ascending[k] == i) {
        k++;
      } else {
        rest[r++] = i;
      }
    }
    return rest;
  }

  /** Training batches per epoch. */
  int stepsPerEpoch() {
    return batches.batchCount();
  }

  /** Fills the buffers with the augmented batch of step {@code step} (0-based). */
  void fill(long step, float[] pixels, int[] labels) {
    int epoch = (int) (step / stepsPerEpoch());
    int b = (int) (step % stepsPerEpoch());
    int n = batches.fill(epoch, b, pixels, labels);
    augmentation.apply(
        pixels, n, shape.height(), shape.width(), shape.channels(), batches.random(epoch, b));
  }
}
