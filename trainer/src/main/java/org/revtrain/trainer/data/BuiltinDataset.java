package org.revtrain.trainer.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A generated 10-class set of 32x32 colour images that needs no download.
 *
 * <p>Every image is a noisy, coloured Gabor-like patch on a gray background: a sinusoidal grating
 * under a Gaussian window. A class fixes three things: the hue group (five hues, shared by classes
 * {@code k} and {@code k + 5}), the grating orientation, and the spatial frequency (classes 0-4 are
 * coarse, 5-9 fine and turned by a further 90 degrees). Each example then draws its own hue jitter
 * (wide enough that neighbouring hues overlap), saturation, orientation and frequency jitter,
 * grating phase, window position, window radius, contrast and background level, and finally
 * independent Gaussian pixel noise; values are clipped to {@code [0, 1]}.
 *
 * <p>Because the phase is random, the grating averages out in pixel space: a linear classifier on
 * raw pixels can exploit little beyond colour, which only tells five hue groups apart and those
 * imperfectly, whereas a small CNN can also detect orientation and frequency. Neither should reach
 * 100%.
 *
 * <p>The data are a pure function of the seed, sizes and example index, computed with {@link
 * StrictMath}: the same seed gives bit-identical data on every platform, and example {@code i} of a
 * split does not depend on how many examples are generated.
 */
public final class BuiltinDataset {

  /** Image height and width. */
  public static final int SIZE = 32;

  /** Colour channels (RGB). */
  public static final int CHANNELS = 3;

  /** Number of classes. */
  public static final int NUM_CLASSES = 10;

  /** Seed of the standard builtin data set. */
  public static final long DEFAULT_SEED = 20240917L;

  /** Training examples of the standard builtin data set. */
  public static final int DEFAULT_TRAIN_SIZE = 5000;

  /** Test examples of the standard builtin data set. */
  public static final int DEFAULT_TEST_SIZE = 1000;

  private static final int HUE_GROUPS = 5;
  private static final double HUE_JITTER = 0.075;
  private static final double ANGLE_JITTER = 0.22;
  private static final double FREQ_JITTER = 0.10;
  private static final double COARSE_CYCLES = 2.6;
  private static final double FINE_CYCLES = 4.2;
  private static final double NOISE_STD = 0.22;
  private static final double POSITION_JITTER = 5.0;

  private static final long TRAIN_STREAM = 1;
  private static final long TEST_STREAM = 2;

  private BuiltinDataset() {}

  /** The standard builtin data set: {@value #DEFAULT_SEED}, 5000 train, 1000 test. */
  public static DataSplit generate() {
    return generate(DEFAULT_SEED, DEFAULT_TRAIN_SIZE, DEFAULT_TEST_SIZE);
  }

  /**
   * Generates a training and a test set from a seed. The two sets come from independent streams,
   * and classes are balanced: example {@code i} has label {@code i % 10}.
   *
   * @param seed the seed; equal seeds give bit-identical data
   * @param trainSize number of training examples, non-negative
   * @param testSize number of test examples, non-negative
   */
  public static DataSplit generate(long seed, int trainSize, int testSize) {
    return new DataSplit(
        generateSet(seed, TRAIN_STREAM, trainSize), generateSet(seed, TEST_STREAM, testSize));
  }

  private static ImageDataset generateSet(long seed, long stream, int size) {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    int imageSize = SIZE * SIZE * CHANNELS;
    float[] pixels = new float[Math.multiplyExact(size, imageSize)];
    int[] labels = new int[size];
    IntStream.range(0, size)
        .parallel()
        .forEach(
            i -> {
              labels[i] = i % NUM_CLASSES;
              SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, stream, i));
              render(labels[i], rng, pixels, i * imageSize);
            });
    return ImageDataset.adopt(pixels, labels, SIZE, SIZE, CHANNELS, NUM_CLASSES);
  }

  private static void render(int label, SplittableRandom rng, float[] dst, int offset) {
    boolean fine = label >= HUE_GROUPS;
    int group = label % HUE_GROUPS;

    double hue = (double) group / HUE_GROUPS + HUE_JITTER * gaussian(rng);
    double saturation = 0.45 + 0.55 * rng.nextDouble();
    double[] colour = hsvToRgb(hue - StrictMath.floor(hue), saturation, 1.0);

    double angle =
        group * StrictMath.PI / HUE_GROUPS
            + (fine ? StrictMath.PI / 2 : 0.0)
            + ANGLE_JITTER * gaussian(rng);
    double cycles = (fine ? FINE_CYCLES : COARSE_CYCLES) * (1.0 + FREQ_JITTER * gaussian(rng));
    double k = 2 * StrictMath.PI * cycles / SIZE;
    double kx = k * StrictMath.cos(angle);
    double ky = k * StrictMath.sin(angle);
    double phase = 2 * StrictMath.PI * rng.nextDouble();

    double cx = (SIZE - 1) / 2.0 + POSITION_JITTER * (2 * rng.nextDouble() - 1);
    double cy = (SIZE - 1) / 2.0 + POSITION_JITTER * (2 * rng.nextDouble() - 1);
    double radius = 7.0 + 5.0 * rng.nextDouble();
    double inv2r2 = 1.0 / (2 * radius * radius);
    double contrast = 0.45 + 0.55 * rng.nextDouble();
    double background = 0.15 + 0.30 * rng.nextDouble();

    double[] noise = new double[2];
    int n = 0;
    for (int y = 0; y < SIZE; y++) {
      double dy = y - cy;
      for (int x = 0; x < SIZE; x++) {
        double dx = x - cx;
        double window = StrictMath.exp(-(dx * dx + dy * dy) * inv2r2);
        double grating = 0.5 + 0.5 * StrictMath.sin(kx * dx + ky * dy + phase);
        double signal = contrast * window * (0.3 + 0.7 * grating);
        int o = offset + (y * SIZE + x) * CHANNELS;
        for (int c = 0; c < CHANNELS; c++) {
          if ((n & 1) == 0) {
            gaussianPair(rng, noise);
          }
          double v = background + signal * colour[c] + NOISE_STD * noise[n & 1];
          n++;
          dst[o + c] = (float) StrictMath.min(1.0, StrictMath.max(0.0, v));
        }
      }
    }
  }

  /** HSV to RGB with hue in [0, 1). */
  private static double[] hsvToRgb(double h, double s, double v) {
    double h6 = h * 6;
    int sector = (int) StrictMath.floor(h6) % 6;
    double f = h6 - StrictMath.floor(h6);
    double p = v * (1 - s);
    double q = v * (1 - s * f);
    double t = v * (1 - s * (1 - f));
    return switch (sector) {
      case 0 -> new double[] {v, t, p};
      case 1 -> new double[] {q, v, p};
      case 2 -> new double[] {p, v, t};
      case 3 -> new double[] {p, q, v};
      case 4 -> new double[] {t, p, v};
      default -> new double[] {v, p, q};
    };
  }

  private static double gaussian(SplittableRandom rng) {
    double[] pair = new double[2];
    gaussianPair(rng, pair);
    return pair[0];
  }

  /** Two independent standard normals by the Box-Muller transform, platform-independent. */
  private static void gaussianPair(SplittableRandom rng, double[] out) {
    double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log is finite
    double u2 = rng.nextDouble();
    double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    double theta = 2 * StrictMath.PI * u2;
    out[0] = r * StrictMath.cos(theta);
    out[1] = r * StrictMath.sin(theta);
  }
}
