package org.revtrain.trainer;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/** Copies between Java arrays and host tensors. */
final class Tensors {
  private Tensors() {}

  /** The first {@code count} images of an NHWC buffer as a [count, H, W, C] tensor. */
  static TFloat32 images(float[] pixels, int count, ImageShape s) {
    int n = count * s.imageSize();
    float[] data = pixels.length == n ? pixels : java.util.Arrays.copyOf(pixels, n);
    return TFloat32.tensorOf(
        Shape.of(count, s.height(), s.width(), s.channels()), DataBuffers.of(data, true, false));
  }

  /** The first {@code count} labels. */
  static TInt32 labels(int[] labels, int count) {
    return TInt32.vectorOf(
        labels.length == count ? labels : java.util.Arrays.copyOf(labels, count));
  }

  /** A scalar float64 tensor's value. */
  static double scalar(Tensor t) {
    return ((TFloat64) t).getDouble();
  }
}
