package org.revtrain.trainer.data;

import java.util.Objects;

/**
 * A training set and a test set of the same shape and class count.
 *
 * @param train the examples to fit on
 * @param test the held-out examples to evaluate on
 */
public record DataSplit(ImageDataset train, ImageDataset test) {

  /** Checks that both sets exist and agree on image shape and number of classes. */
  public DataSplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (!train.sameShapeAs(test)) {
      throw new IllegalArgumentException(
          "train set " + train + " and test set " + test + " differ in shape or class count");
    }
  }
}
