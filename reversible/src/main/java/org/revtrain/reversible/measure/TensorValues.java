package org.revtrain.reversible.measure;

import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** Reads fetched floating-point tensors into Java arrays. */
public final class TensorValues {
  private TensorValues() {}

  /**
   * The elements of a float32 or float64 tensor, row-major, as doubles.
   *
   * @param t a float32 or float64 tensor
   * @return its elements
   */
  public static double[] doubles(Tensor t) {
    if (t instanceof TFloat64 d) {
      double[] v = new double[(int) d.size()];
      d.asRawTensor().data().asDoubles().read(v);
      return v;
    }
    if (t instanceof TFloat32 f) {
      float[] v = new float[(int) f.size()];
      f.asRawTensor().data().asFloats().read(v);
      double[] out = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        out[i] = v[i];
      }
      return out;
    }
    throw new IllegalArgumentException("expected a float32 or float64 tensor, got " + t.dataType());
  }
}
