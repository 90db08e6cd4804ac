package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST when the Debian package has installed it. */
class FashionMnistTest {

  @Test
  void readsInstalledFashionMnist() {
    assumeTrue(
        Files.isDirectory(DataSource.FASHION_MNIST_DIR),
        "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");

    DataSplit split = DataSource.parse("fashion-mnist").load();

    for (ImageDataset set : new ImageDataset[] {split.train(), split.test()}) {
      assertEquals(28, set.height());
      assertEquals(28, set.width());
      assertEquals(1, set.channels());
      assertEquals(10, set.numClasses());
    }
    assertEquals(60000, split.train().size());
    assertEquals(10000, split.test().size());
    int[] perClass = new int[10];
    Arrays.fill(perClass, 6000);
    assertArrayEquals(perClass, split.train().classCounts());
    Arrays.fill(perClass, 1000);
    assertArrayEquals(perClass, split.test().classCounts());
  }
}
