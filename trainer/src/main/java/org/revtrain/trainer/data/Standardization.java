package org.revtrain.trainer.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-channel standardization: subtracts each channel's mean and divides by its standard deviation.
 * Fit the statistics on the training set with {@link #fit} and {@link #apply} the same instance to
 * both the training and the test set.
 */
public final class Standardization {

  /** Standard deviations below this are treated as 1 so constant channels stay finite. */
  private static final double MIN_STD = 1e-8;

  private final float[] mean;
  private final float[] std;

  /**
   * Creates a standardization from known statistics (for example restored from a checkpoint).
   *
   * @param mean per-channel mean
   * @param std per-channel standard deviation, each positive
   */
  public Standardization(float[] mean, float[] std) {
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(std, "std");
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException(
          "mean has " + mean.length + " channels but std has " + std.length);
    }
    for (float s : std) {
      if (!(s > 0) || !Float.isFinite(s)) {
        throw new IllegalArgumentException("std must be positive and finite: " + s);
      }
    }
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /**
   * Computes the per-channel mean and (population) standard deviation of a data set.
   *
   * @param train the training set
   * @throws IllegalArgumentException if the set is empty
   */
  public static Standardization fit(ImageDataset train) {
    if (train.size() == 0) {
      throw new IllegalArgumentException("cannot fit a standardization on an empty data set");
    }
    int channels = train.channels();
    float[] pixels = train.pixelArray();
    double[] sum = new double[channels];
    for (int i = 0; i < pixels.length; i++) {
      sum[i % channels] += pixels[i];
    }
    long perChannel = pixels.length / channels;
    double[] mu = new double[channels];
    for (int c = 0; c < channels; c++) {
      mu[c] = sum[c] / perChannel;
    }
    double[] squares = new double[channels];
    for (int i = 0; i < pixels.length; i++) {
      double d = pixels[i] - mu[i % channels];
      squares[i % channels] += d * d;
    }
    float[] mean = new float[channels];
    float[] std = new float[channels];
    for (int c = 0; c < channels; c++) {
      double s = Math.sqrt(squares[c] / perChannel);
      mean[c] = (float) mu[c];
      std[c] = (float) (s < MIN_STD ? 1.0 : s);
    }
    return new Standardization(mean, std);
  }

  /** Number of channels these statistics are for. */
  public int channels() {
    return mean.length;
  }

  /** A copy of the per-channel means. */
  public float[] mean() {
    return mean.clone();
  }

  /** A copy of the per-channel standard deviations. */
  public float[] std() {
    return std.clone();
  }

  /**
   * A standardized copy of a data set.
   *
   * @param data a data set with {@link #channels()} channels
   * @return the same examples with {@code (x - mean[c]) / std[c]} in every channel {@code c}
   */
  public ImageDataset apply(ImageDataset data) {
    if (data.channels() != mean.length) {
      throw new IllegalArgumentException(
          "statistics are for "
              + mean.length
              + " channels but "
              + data
              + " has "
              + data.channels());
    }
    float[] out = data.pixels();
    applyInPlace(out, out.length);
    return data.withPixels(out);
  }

  /**
   * Standardizes the first {@code length} values of an HWC or NHWC buffer in place.
   *
   * @param values interleaved pixel values, channel fastest
   * @param length how many values to transform, a multiple of {@link #channels()}
   */
  public void applyInPlace(float[] values, int length) {
    int channels = mean.length;
    if (length % channels != 0 || length > values.length) {
      throw new IllegalArgumentException(
          "length " + length + " is not a multiple of " + channels + " within the buffer");
    }
    float[] inv = new float[channels];
    for (int c = 0; c < channels; c++) {
      inv[c] = 1f / std[c];
    }
    for (int i = 0; i < length; i += channels) {
      for (int c = 0; c < channels; c++) {
        values[i + c] = (values[i + c] - mean[c]) * inv[c];
      }
    }
  }

  @Override
  public String toString() {
    return "Standardization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
