package org.revtrain.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.revtrain.models.Models;
import org.revtrain.trainer.InferenceModel;
import org.revtrain.trainer.Trainer;
import org.revtrain.trainer.TrainingConfig;
import org.revtrain.trainer.TrainingResult;
import org.revtrain.trainer.data.DataSplit;
import org.revtrain.trainer.data.ImageDataset;

/**
 * Trains the named network {@code hamiltonian-tiny} with the Trainer API on images made here in
 * memory, then classifies held-out images with the model the trainer hands back and prints its
 * accuracy.
 *
 * <p>The task: 16x16 grayscale noise with a bright 8x8 square in one of four quadrants; the class is
 * the quadrant.
 */
public final class TrainInMemory {
  static final int SIDE = 16;
  static final int CLASSES = 4;

  public static void main(String[] args) throws Exception {
    DataSplit data = new DataSplit(squares(512, 1), squares(128, 2));
    TrainingConfig config =
        TrainingConfig.builder()
            .model(Models.byName("hamiltonian-tiny"))
            .epochs(3)
            .batch(32)
            .seed(7)
            .build();
    Path runDirectory = Files.createTempDirectory("revtrain-example-");
    TrainingResult result = Trainer.builder(config, runDirectory).data(data).build().run();

    ImageDataset test = data.test();
    int correct = 0;
    try (InferenceModel<?> model = result.openModel()) {
      double[] logits = model.logits(test.pixels(), test.size()); // [size × classes]
      for (int i = 0; i < test.size(); i++) {
        if (argmax(logits, i * CLASSES, CLASSES) == test.label(i)) {
          correct++;
        }
      }
    }
    double accuracy = (double) correct / test.size();
    System.out.println(
        String.format(
            Locale.ROOT,
            "%d steps in %s; test accuracy %.1f%% (%d of %d, chance 25%%)",
            result.steps(),
            result.runDirectory(),
            100 * accuracy,
            correct,
            test.size()));
    if (accuracy < 0.5) {
      System.err.println("the trained model does no better than 50%: training failed");
      System.exit(1);
    }
  }

  /** {@code n} images: noise, plus a bright square in quadrant {@code label = i % 4}. */
  static ImageDataset squares(int n, long seed) {
    Random random = new Random(seed);
    float[] pixels = new float[n * SIDE * SIDE];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % CLASSES;
      int y0 = (labels[i] / 2) * SIDE / 2;
      int x0 = (labels[i] % 2) * SIDE / 2;
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          boolean inSquare = y >= y0 && y < y0 + SIDE / 2 && x >= x0 && x < x0 + SIDE / 2;
          pixels[(i * SIDE + y) * SIDE + x] =
              (float) ((inSquare ? 0.8 : 0.2) + 0.2 * random.nextGaussian());
        }
      }
    }
    return new ImageDataset(pixels, labels, SIDE, SIDE, 1, CLASSES);
  }

  private static int argmax(double[] values, int offset, int length) {
    int best = 0;
    for (int k = 1; k < length; k++) {
      if (values[offset + k] > values[offset + best]) {
        best = k;
      }
    }
    return best;
  }
}
