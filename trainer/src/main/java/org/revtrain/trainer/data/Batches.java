package org.revtrain.trainer.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Cuts a data set into batches, either shuffled for training or in order for evaluation.
 *
 * <p><b>Shuffled</b> ({@link #shuffled}): each epoch visits the examples in a fresh permutation
 * that is a pure function of {@code (seed, epoch)}, and only whole batches are produced (the last
 * {@code size % batchSize} examples of the permutation are dropped for that epoch). The content of
 * batch {@code b} of epoch {@code e} is therefore a pure function of {@code (seed, e, b)}: a run
 * resumed at epoch {@code e}, batch {@code b} sees exactly the batches of an uninterrupted run.
 *
 * <p><b>Sequential</b> ({@link #sequential}): every example once, in data set order; the last batch
 * holds the remainder and may be smaller. The epoch argument is ignored.
 *
 * <p>Instances may be shared between threads.
 */
public final class Batches {

  private final ImageDataset data;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private volatile EpochOrder cached;

  private record EpochOrder(int epoch, int[] permutation) {}

  private Batches(ImageDataset data, int batchSize, long seed, boolean shuffle) {
    this.data = Objects.requireNonNull(data, "data");
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
    }
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
  }

  /**
   * Training batches: reshuffled every epoch from {@code seed}, incomplete last batch dropped.
   *
   * @param data the training set
   * @param batchSize examples per batch, positive
   * @param seed shuffling seed
   */
  public static Batches shuffled(ImageDataset data, int batchSize, long seed) {
    return new Batches(data, batchSize, seed, true);
  }

  /**
   * Evaluation batches: all examples in order, the last batch possibly smaller.
   *
   * @param data the evaluation set
   * @param batchSize maximum examples per batch, positive
   */
  public static Batches sequential(ImageDataset data, int batchSize) {
    return new Batches(data, batchSize, 0L, false);
  }

  /** The data set batched. */
  public ImageDataset data() {
    return data;
  }

  /** Examples in a full batch. */
  public int batchSize() {
    return batchSize;
  }

  /** Whether batches are shuffled (training) rather than sequential (evaluation). */
  public boolean isShuffled() {
    return shuffle;
  }

  /**
   * Batches per epoch: {@code size / batchSize} when shuffled, {@code ceil(size / batchSize)} when
   * sequential.
   */
  public int batchCount() {
    int n = data.size();
    return shuffle ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** Number of floats a batch buffer needs: {@code batchSize * height * width * channels}. */
  public int imageBufferSize() {
    return Math.multiplyExact(batchSize, data.imageSize());
  }

  /**
   * Number of examples in a batch: {@code batchSize}, except possibly the last sequential batch.
   *
   * @param batchIndex batch index in {@code [0, batchCount())}
   */
  public int batchLength(int batchIndex) {
    Objects.checkIndex(batchIndex, batchCount());
    return Math.min(batchSize, data.size() - batchIndex * batchSize);
  }

  /**
   * The order in which an epoch visits the examples: the identity when sequential, otherwise a
   * permutation that depends only on the seed and the epoch.
   *
   * @param epoch epoch number, non-negative
   * @return a new array of {@code data().size()} distinct example indices
   */
  public int[] order(int epoch) {
    return orderOf(epoch).clone();
  }

  /**
   * Fills the buffers with one batch.
   *
   * @param epoch epoch number, non-negative (ignored when sequential)
   * @param batchIndex batch index in {@code [0, batchCount())}
   * @param images NHWC buffer of at least {@code batchLength(batchIndex) * imageSize} floats
   * @param labels buffer of at least {@code batchLength(batchIndex)} ints
   * @return the number of examples written, {@link #batchLength(int)}
   */
  public int fill(int epoch, int batchIndex, float[] images, int[] labels) {
    int length = batchLength(batchIndex);
    int imageSize = data.imageSize();
    if ((long) length * imageSize > images.length || length > labels.length) {
      throw new IllegalArgumentException(
          "buffers too small for a batch of " + length + " examples of " + imageSize + " floats");
    }
    int start = batchIndex * batchSize;
    int[] order = shuffle ? orderOf(epoch) : null;
    for (int k = 0; k < length; k++) {
      int example = order == null ? start + k : order[start + k];
      data.copyImage(example, images, k * imageSize);
      labels[k] = data.label(example);
    }
    return length;
  }

  /**
   * A random generator for per-batch randomness such as {@link Augmentation}: its stream is a pure
   * function of {@code (seed, epoch, batchIndex)} and independent of the shuffling stream.
   *
   * @param epoch epoch number
   * @param batchIndex batch index
   */
  public SplittableRandom random(int epoch, int batchIndex) {
    return new SplittableRandom(Seeds.mix(seed, 0x6175676dL, epoch, batchIndex));
  }

  private int[] orderOf(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("negative epoch " + epoch);
    }
    EpochOrder c = cached;
    if (c != null && c.epoch == epoch) {
      return c.permutation;
    }
    int n = data.size();
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    if (shuffle) {
      SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 0x73687566L, epoch));
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
    }
    cached = new EpochOrder(epoch, p);
    return p;
  }
}
