package org.revtrain.trainer.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable set of labelled images of one shape.
 *
 * <p>Pixels are floats stored example after example in NHWC order: the value of channel {@code c}
 * at row {@code y}, column {@code x} of example {@code i} is at index {@code ((i * height + y) *
 * width + x) * channels + c}. Labels are class indices in {@code [0, numClasses)}.
 */
public final class ImageDataset {

  private final float[] pixels;
  private final int[] labels;
  private final int height;
  private final int width;
  private final int channels;
  private final int numClasses;

  /**
   * Creates a data set from copies of the given arrays.
   *
   * @param pixels {@code n * height * width * channels} values in NHWC order
   * @param labels {@code n} class indices, each in {@code [0, numClasses)}
   * @param height image height in pixels, positive
   * @param width image width in pixels, positive
   * @param channels channels per pixel, positive
   * @param numClasses number of classes, positive
   * @throws IllegalArgumentException if the sizes disagree or a label is out of range
   */
  public ImageDataset(
      float[] pixels, int[] labels, int height, int width, int channels, int numClasses) {
    this(
        Objects.requireNonNull(pixels, "pixels").clone(),
        Objects.requireNonNull(labels, "labels").clone(),
        height,
        width,
        channels,
        numClasses,
        true);
  }

  private ImageDataset(
      float[] pixels,
      int[] labels,
      int height,
      int width,
      int channels,
      int numClasses,
      boolean validate) {
    if (height <= 0 || width <= 0 || channels <= 0 || numClasses <= 0) {
      throw new IllegalArgumentException(
          "non-positive shape "
              + height
              + "x"
              + width
              + "x"
              + channels
              + " or class count "
              + numClasses);
    }
    long expected = (long) labels.length * height * width * channels;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          "pixel array holds "
              + pixels.length
              + " values but "
              + labels.length
              + " images of "
              + height
              + "x"
              + width
              + "x"
              + channels
              + " need "
              + expected);
    }
    if (validate) {
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] < 0 || labels[i] >= numClasses) {
          throw new IllegalArgumentException(
              "label " + labels[i] + " at index " + i + " out of range [0, " + numClasses + ")");
        }
      }
    }
    this.pixels = pixels;
    this.labels = labels;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.numClasses = numClasses;
  }

  /**
   * Wraps arrays without copying them; the caller hands over ownership and must not modify them
   * afterwards. Labels are still range-checked.
   */
  static ImageDataset adopt(
      float[] pixels, int[] labels, int height, int width, int channels, int numClasses) {
    return new ImageDataset(pixels, labels, height, width, channels, numClasses, true);
  }

  /** Number of examples. */
  public int size() {
    return labels.length;
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** Channels per pixel (1 for grayscale, 3 for RGB). */
  public int channels() {
    return channels;
  }

  /** Number of classes; every label lies in {@code [0, numClasses)}. */
  public int numClasses() {
    return numClasses;
  }

  /** Number of floats in one image: {@code height * width * channels}. */
  public int imageSize() {
    return height * width * channels;
  }

  /**
   * The class of example {@code i}.
   *
   * @param i example index in {@code [0, size())}
   */
  public int label(int i) {
    return labels[Objects.checkIndex(i, labels.length)];
  }

  /** A copy of all labels, in example order. */
  public int[] labels() {
    return labels.clone();
  }

  /**
   * One pixel value.
   *
   * @param i example index
   * @param y row
   * @param x column
   * @param c channel
   */
  public float pixel(int i, int y, int x, int c) {
    Objects.checkIndex(i, labels.length);
    Objects.checkIndex(y, height);
    Objects.checkIndex(x, width);
    Objects.checkIndex(c, channels);
    return pixels[((i * height + y) * width + x) * channels + c];
  }

  /**
   * Copies image {@code i} (HWC order, {@link #imageSize()} floats) into {@code dst}.
   *
   * @param i example index in {@code [0, size())}
   * @param dst destination buffer, for example a {@code [batch, h, w, c]} batch buffer
   * @param dstOffset where in {@code dst} the image starts
   */
  public void copyImage(int i, float[] dst, int dstOffset) {
    Objects.checkIndex(i, labels.length);
    int n = imageSize();
    System.arraycopy(pixels, i * n, dst, dstOffset, n);
  }

  /** A copy of image {@code i} in HWC order. */
  public float[] image(int i) {
    float[] out = new float[imageSize()];
    copyImage(i, out, 0);
    return out;
  }

  /** A copy of all pixels in NHWC order. */
  public float[] pixels() {
    return pixels.clone();
  }

  /** The backing pixel array, for read-only use inside this package. */
  float[] pixelArray() {
    return pixels;
  }

  /**
   * The examples at the given indices, in that order (indices may repeat).
   *
   * @param indices example indices, each in {@code [0, size())}
   * @return a new data set of {@code indices.length} examples
   */
  public ImageDataset subset(int[] indices) {
    int n = imageSize();
    float[] p = new float[Math.multiplyExact(indices.length, n)];
    int[] l = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      copyImage(indices[k], p, k * n);
      l[k] = labels[indices[k]];
    }
    return new ImageDataset(p, l, height, width, channels, numClasses, false);
  }

  /**
   * The first {@code count} examples (or all, if there are fewer).
   *
   * @param count maximum number of examples to keep, non-negative
   */
  public ImageDataset head(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("negative count " + count);
    }
    if (count >= size()) {
      return this;
    }
    int n = imageSize();
    return new ImageDataset(
        Arrays.copyOf(pixels, count * n),
        Arrays.copyOf(labels, count),
        height,
        width,
        channels,
        numClasses,
        false);
  }

  /**
   * A data set with the same labels and shape but different pixels.
   *
   * @param newPixels replacement pixels, owned by the result from now on
   */
  ImageDataset withPixels(float[] newPixels) {
    return new ImageDataset(newPixels, labels, height, width, channels, numClasses, false);
  }

  /** How many examples each class has, indexed by class. */
  public int[] classCounts() {
    int[] counts = new int[numClasses];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** Whether {@code other} has the same image shape and class count. */
  public boolean sameShapeAs(ImageDataset other) {
    return height == other.height
        && width == other.width
        && channels == other.channels
        && numClasses == other.numClasses;
  }

  @Override
  public String toString() {
    return "ImageDataset["
        + size()
        + " x "
        + height
        + "x"
        + width
        + "x"
        + channels
        + ", "
        + numClasses
        + " classes]";
  }
}
