package org.revtrain.trainer.data;

import java.util.random.RandomGenerator;

/**
 * The standard CIFAR training augmentation, applied in place to a batch of NHWC images: zero-pad
 * each image by {@code padding} pixels on every side, crop a random window of the original size,
 * and mirror it left-to-right with probability 1/2.
 *
 * <p>All randomness comes from the generator passed to {@link #apply}, so a batch is augmented
 * identically whenever the generator is seeded identically (see {@link Batches#random(int, int)}).
 * Zero is the padding value, which after {@link Standardization} is the channel mean.
 */
public final class Augmentation {

  /** Padding of the standard CIFAR augmentation. */
  public static final int CIFAR_PADDING = 4;

  private final boolean enabled;
  private final int padding;
  private final boolean flip;

  /**
   * Creates an augmentation.
   *
   * @param enabled whether to change images at all; if false {@link #apply} does nothing
   * @param padding pixels of zero padding for the random crop; 0 disables cropping
   * @param flip whether to mirror images horizontally at random
   */
  public Augmentation(boolean enabled, int padding, boolean flip) {
    if (padding < 0) {
      throw new IllegalArgumentException("negative padding " + padding);
    }
    this.enabled = enabled;
    this.padding = padding;
    this.flip = flip;
  }

  /** Pad by 4, random crop, random horizontal flip. */
  public static Augmentation standard() {
    return new Augmentation(true, CIFAR_PADDING, true);
  }

  /** The standard augmentation when {@code enabled}, otherwise one that does nothing. */
  public static Augmentation standard(boolean enabled) {
    return enabled ? standard() : none();
  }

  /** An augmentation that leaves images unchanged. */
  public static Augmentation none() {
    return new Augmentation(false, 0, false);
  }

  /** Whether this augmentation changes images. */
  public boolean enabled() {
    return enabled && (padding > 0 || flip);
  }

  /** Zero padding used for the random crop (0 if cropping is off). */
  public int padding() {
    return padding;
  }

  /** Whether random horizontal flips are on. */
  public boolean flips() {
    return flip;
  }

  /**
   * Augments the first {@code count} images of a batch in place. For each image, in order, draws
   * the crop offsets (if cropping) and then the flip decision (if flipping) from {@code rng}.
   *
   * @param batch NHWC buffer holding at least {@code count} images
   * @param count number of images to augment
   * @param height image height
   * @param width image width
   * @param channels channels per pixel
   * @param rng source of randomness
   */
  public void apply(
      float[] batch, int count, int height, int width, int channels, RandomGenerator rng) {
    int imageSize = height * width * channels;
    if ((long) count * imageSize > batch.length) {
      throw new IllegalArgumentException(
          count
              + " images of "
              + height
              + "x"
              + width
              + "x"
              + channels
              + " do not fit in a "
              + batch.length
              + "-float buffer");
    }
    if (!enabled()) {
      return;
    }
    float[] scratch = new float[imageSize];
    for (int i = 0; i < count; i++) {
      int offset = i * imageSize;
      int dy = 0;
      int dx = 0;
      if (padding > 0) {
        dy = rng.nextInt(2 * padding + 1) - padding;
        dx = rng.nextInt(2 * padding + 1) - padding;
      }
      boolean mirror = flip && rng.nextBoolean();
      if (dy == 0 && dx == 0 && !mirror) {
        continue;
      }
      System.arraycopy(batch, offset, scratch, 0, imageSize);
      for (int y = 0; y < height; y++) {
        int sy = y + dy;
        for (int x = 0; x < width; x++) {
          int cx = mirror ? width - 1 - x : x; // column of the crop window
          int sx = cx + dx;
          int o = offset + (y * width + x) * channels;
          if (sy < 0 || sy >= height || sx < 0 || sx >= width) {
            for (int c = 0; c < channels; c++) {
              batch[o + c] = 0f;
            }
          } else {
            System.arraycopy(scratch, (sy * width + sx) * channels, batch, o, channels);
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    if (!enabled()) {
      return "Augmentation[none]";
    }
    String crop = padding > 0 ? "pad " + padding + " + random crop" : "";
    String mirror = flip ? "random flip" : "";
    return "Augmentation[" + crop + (padding > 0 && flip ? ", " : "") + mirror + "]";
  }
}
