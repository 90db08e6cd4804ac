package org.revtrain.trainer;

import org.revtrain.models.NetworkShape;
import org.revtrain.models.plan.MemoryModel;
import org.revtrain.trainer.data.DataSource;

/** The {@link MemoryModel} of a training run's step: its network, batch, type and optimizer. */
public final class StepMemory {
  private StepMemory() {}

  /**
   * The memory model of {@code config}'s training step ({@link TrainingGraph}) on {@code shape}.
   */
  public static MemoryModel model(TrainingConfig config, ImageShape shape) {
    if (shape.height() != shape.width()) {
      throw new IllegalArgumentException(
          "the memory model needs square images, got " + shape.height() + "x" + shape.width());
    }
    NetworkShape network =
        NetworkShape.of(config.model(), shape.channels(), shape.classes(), shape.height());
    int bytes = config.precision() == Precision.FLOAT64 ? 8 : 4;
    // momentum SGD keeps one slot per trainable scalar
    return new MemoryModel(network, config.batch(), bytes, config.momentum() > 0 ? 1 : 0);
  }

  /**
   * The image shape of {@code config}'s data, known from its format without reading it: 32x32x3 for
   * the built-in data and CIFAR, 28x28x1 for IDX (MNIST layout) files.
   */
  public static ImageShape imageShape(TrainingConfig config) {
    DataSource.Format f = DataSource.parse(config.data()).format();
    return switch (f) {
      case IDX -> new ImageShape(28, 28, 1, 10);
      case CIFAR100 -> new ImageShape(32, 32, 3, 100);
      case BUILTIN, CIFAR10 -> new ImageShape(32, 32, 3, 10);
    };
  }
}
