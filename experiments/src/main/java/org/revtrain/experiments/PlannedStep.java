package org.revtrain.experiments;

import java.util.Random;
import org.revtrain.trainer.ImageShape;
import org.revtrain.trainer.StepOutcome;
import org.revtrain.trainer.TrainingConfig;
import org.revtrain.trainer.TrainingGraph;

/**
 * Runs the trainer's step ({@link TrainingGraph}: momentum, regularisers, statistics) of a
 * configuration on random data: one warm-up step, {@code timed} timed ones, then one traced for the
 * TF allocator's peak.
 *
 * @param peakBytes the traced step's allocator peak, or -1 without the BFC allocator's totals
 * @param stepSeconds the median of the timed steps
 */
record PlannedStep(long peakBytes, double stepSeconds) {

  static PlannedStep measure(TrainingConfig config, ImageShape shape, int timed) {
    Random r = new Random(7);
    float[] pixels = new float[config.batch() * shape.imageSize()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) r.nextGaussian();
    }
    int[] labels = new int[config.batch()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(shape.classes());
    }
    try (TrainingGraph<?> graph =
        TrainingGraph.build(config, shape, config.device().sessionConfig())) {
      graph.initialize();
      graph.step(pixels, labels, 0.01, 0, false);
      double[] seconds = new double[timed];
      for (int i = 0; i < timed; i++) {
        long t0 = System.nanoTime();
        graph.step(pixels, labels, 0.01, i + 1, false);
        seconds[i] = (System.nanoTime() - t0) / 1e9;
      }
      StepOutcome traced = graph.step(pixels, labels, 0.01, timed + 1, true);
      java.util.Arrays.sort(seconds);
      double median = timed == 0 ? Double.NaN : seconds[timed / 2];
      return new PlannedStep(traced.peakBytes().orElse(-1), median);
    }
  }
}
