package org.revtrain.examples;

import java.util.List;
import java.util.Locale;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.Phase;
import org.revtrain.reversible.ReversibleUnit;
import org.revtrain.reversible.State;
import org.revtrain.reversible.block.HamiltonianBlock;
import org.revtrain.trainer.data.ImageDataset;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.SoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.TFloat32;

/**
 * A reversible unit between layers of the application's own (a convolution before it, a dense
 * layer after it), trained by TensorFlow Java's own {@code Momentum} optimizer with {@code
 * minimize(loss)}: the unit's backward pass is TensorFlow's gradient of its forward sweep, and
 * reconstructs its activations instead of storing them. Same task as {@link TrainInMemory}: which
 * quadrant of a noisy 16x16 image holds a bright square.
 */
public final class UnitInYourModel {
  static final int CHANNELS = 8; // per state tensor
  static final int BATCH = 32;

  public static void main(String[] args) {
    ImageDataset train = TrainInMemory.squares(512, 1);
    ImageDataset test = TrainInMemory.squares(128, 2);
    int side = TrainInMemory.SIDE;
    int classes = TrainInMemory.CLASSES;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, 1)));
      Placeholder<TFloat32> labels =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, classes)));

      // the application's own layers: ordinary TensorFlow variables and ops
      Variable<TFloat32> stem =
          tf.withName("stem").variable(normal(tf, 0.5f, 3, 3, 1, 2 * CHANNELS));
      Variable<TFloat32> dense =
          tf.withName("dense").variable(normal(tf, 0.1f, 2 * CHANNELS, classes));

      try (ReversibleUnit<TFloat32> unit =
          ReversibleUnit.builder(new HamiltonianBlock(true)) // Verlet blocks, batch norm inside
              .blocks(16)
              .channels(CHANNELS)
              .stepSize(0.2)
              .mode(GradientMode.reversible())
              .referenceVariables() // weights the framework's optimizers find and update
              .statisticsMomentum(0.9) // the training step moves the running statistics
              .build(tf, TFloat32.class)) {

        Operand<TFloat32> trainLogits = logits(tf, unit, images, stem, dense, Phase.TRAINING);
        Operand<TFloat32> loss =
            tf.math.mean(
                SoftmaxCrossEntropyWithLogits.create(tf.scope(), trainLogits, labels).loss(),
                tf.constant(0));
        Op step = new Momentum(graph, 0.1f, 0.9f).minimize(loss);
        // inference reads the running statistics, and keeps nothing for a backward pass
        Operand<TFloat32> testLogits = logits(tf, unit, images, stem, dense, Phase.INFERENCE);

        try (Session session = new Session(graph)) {
          session.initialize();
          float first = Float.NaN;
          float last = Float.NaN;
          for (int k = 0; k < 160; k++) {
            int from = (k * BATCH) % train.size();
            try (TFloat32 x = pixels(train, from, BATCH);
                TFloat32 y = oneHot(train, from, BATCH);
                Result r =
                    session.runner()
                        .feed(images, x)
                        .feed(labels, y)
                        .addTarget(step)
                        .fetch(loss)
                        .run()) {
              last = ((TFloat32) r.get(0)).getFloat();
              first = k == 0 ? last : first;
            }
          }
          int correct = 0;
          try (TFloat32 x = pixels(test, 0, test.size());
              Result r = session.runner().feed(images, x).fetch(testLogits).run()) {
            TFloat32 logits = (TFloat32) r.get(0);
            for (int i = 0; i < test.size(); i++) {
              int best = 0;
              for (int c = 1; c < classes; c++) {
                if (logits.getFloat(i, c) > logits.getFloat(i, best)) {
                  best = c;
                }
              }
              correct += best == test.label(i) ? 1 : 0;
            }
          }
          double accuracy = (double) correct / test.size();
          System.out.println(
              String.format(
                  Locale.ROOT,
                  "Momentum through a 16-block reversible unit: loss %.3f -> %.3f in 160 steps;"
                      + " test accuracy %.1f%% (%d of %d, chance 25%%)",
                  first,
                  last,
                  100 * accuracy,
                  correct,
                  test.size()));
          if (accuracy < 0.5) {
            System.err.println("the trained model does no better than 50%: training failed");
            System.exit(1);
          }
        }
      }
    }
  }

  /** stem convolution → the unit (two state tensors of CHANNELS) → average pool → dense. */
  private static Operand<TFloat32> logits(
      Ops tf,
      ReversibleUnit<TFloat32> unit,
      Operand<TFloat32> images,
      Operand<TFloat32> stem,
      Operand<TFloat32> dense,
      Phase phase) {
    Operand<TFloat32> y = tf.nn.conv2d(images, stem, List.of(1L, 1L, 1L, 1L), "SAME");
    var halves = tf.split(tf.constant(3), y, 2L).output();
    State<TFloat32> in = new State<>(halves.get(0), halves.get(1));
    State<TFloat32> out = unit.forward(tf, in, phase).output();
    Operand<TFloat32> both = tf.concat(List.of(out.a(), out.b()), tf.constant(3));
    Operand<TFloat32> features = tf.math.mean(both, tf.constant(new int[] {1, 2}));
    return tf.linalg.matMul(features, dense);
  }

  /** Initial weights: a normal draw times {@code scale}. */
  private static Operand<TFloat32> normal(Ops tf, float scale, long... shape) {
    var draw = tf.random.truncatedNormal(tf.constant(shape), TFloat32.class);
    return tf.math.mul(draw, tf.constant(scale));
  }

  private static TFloat32 pixels(ImageDataset data, int from, int n) {
    int side = TrainInMemory.SIDE;
    float[] values = new float[n * side * side];
    for (int i = 0; i < n; i++) {
      float[] image = data.image((from + i) % data.size());
      System.arraycopy(image, 0, values, i * side * side, side * side);
    }
    return TFloat32.tensorOf(Shape.of(n, side, side, 1), DataBuffers.of(values));
  }

  private static TFloat32 oneHot(ImageDataset data, int from, int n) {
    int classes = TrainInMemory.CLASSES;
    float[] values = new float[n * classes];
    for (int i = 0; i < n; i++) {
      values[i * classes + data.label((from + i) % data.size())] = 1;
    }
    return TFloat32.tensorOf(Shape.of(n, classes), DataBuffers.of(values));
  }
}
