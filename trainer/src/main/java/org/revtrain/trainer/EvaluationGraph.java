package org.revtrain.trainer;

import org.revtrain.models.Network;
import org.revtrain.reversible.measure.TensorValues;
import org.revtrain.trainer.data.Batches;
import org.revtrain.trainer.data.ImageDataset;
import org.revtrain.trainer.data.Standardization;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The inference graph of a network with its evaluation sums: images [N, H, W, C] (any N) → logits,
 * and for labels y the sums Σ −log softmax(logits)_y and Σ [argmax logits = y] of a batch.
 */
final class EvaluationGraph<T extends TFloating> {
  /** Name of the images placeholder. */
  static final String IMAGES = "images";

  /** Name of the logits op. */
  static final String LOGITS = "logits";

  final Placeholder<TFloat32> images;
  final Placeholder<TInt32> labels;
  final Operand<T> logits;
  final Operand<TFloat64> lossSum;
  final Operand<TInt32> correct;
  final Operand<TInt32> predicted;
  private final ImageShape shape;

  /**
   * @param standardization applied to the images inside the graph as (x − μ_c)·(1/σ_c), the same
   *     float arithmetic as {@link Standardization#applyInPlace}; null if images come standardised
   */
  EvaluationGraph(
      Ops tf,
      Network<T> network,
      ImageShape shape,
      Class<T> dtype,
      Standardization standardization,
      String prefix) {
    this.shape = shape;
    images =
        tf.withName(prefix + IMAGES)
            .placeholder(
                TFloat32.class,
                Placeholder.shape(Shape.of(-1, shape.height(), shape.width(), shape.channels())));
    labels =
        tf.withName(prefix + "labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> x = images;
    if (standardization != null) {
      float[] std = standardization.std();
      float[] inv = new float[std.length];
      for (int c = 0; c < std.length; c++) {
        inv[c] = 1f / std[c];
      }
      x = tf.math.mul(tf.math.sub(x, tf.constant(standardization.mean())), tf.constant(inv));
    }
    logits = tf.withName(prefix + LOGITS).identity(network.logits(tf, cast(tf, x, dtype)));
    lossSum = Classification.lossSum(tf, logits, labels, shape.classes(), dtype);
    predicted = Classification.predicted(tf, logits);
    correct = Classification.correct(tf, predicted, labels);
  }

  @SuppressWarnings("unchecked")
  static <T extends TFloating> Operand<T> cast(Ops tf, Operand<TFloat32> x, Class<T> dtype) {
    return dtype == TFloat32.class ? (Operand<T>) x : tf.dtypes.cast(x, dtype);
  }

  /** Evaluates every example of {@code data} in order, {@code batchSize} at a time. */
  Evaluation evaluate(Session session, ImageDataset data, int batchSize) {
    return evaluate(session, data, batchSize, null);
  }

  /**
   * The same, also writing example i's predicted class to {@code predictions[i]} unless {@code
   * predictions} is null.
   */
  Evaluation evaluate(Session session, ImageDataset data, int batchSize, int[] predictions) {
    if (!shape.matches(data)) {
      throw new IllegalArgumentException(
          "data " + data + " do not match the network's input " + shape);
    }
    Batches batches = Batches.sequential(data, batchSize);
    float[] pixels = new float[batches.imageBufferSize()];
    int[] y = new int[batchSize];
    double loss = 0;
    long right = 0;
    for (int b = 0; b < batches.batchCount(); b++) {
      int n = batches.fill(0, b, pixels, y);
      Session.Runner run = session.runner().fetch(lossSum).fetch(correct);
      if (predictions != null) {
        run.fetch(predicted);
      }
      try (TFloat32 xt = Tensors.images(pixels, n, shape);
          TInt32 yt = Tensors.labels(y, n);
          Result r = run.feed(images, xt).feed(labels, yt).run()) {
        loss += Tensors.scalar(r.get(0));
        right += ((TInt32) r.get(1)).getInt();
        if (predictions != null) {
          TInt32 p = (TInt32) r.get(2);
          for (int i = 0; i < n; i++) {
            predictions[b * batchSize + i] = p.getInt(i);
          }
        }
      }
    }
    int total = data.size();
    return new Evaluation(
        total == 0 ? Double.NaN : loss / total,
        total == 0 ? Double.NaN : (double) right / total,
        total);
  }

  /** The logits of the first {@code count} images of an NHWC buffer, [count × classes]. */
  double[] logits(Session session, float[] pixels, int count) {
    try (TFloat32 xt = Tensors.images(pixels, count, shape);
        Result r = session.runner().feed(images, xt).fetch(logits).run()) {
      return TensorValues.doubles(r.get(0));
    }
  }
}
