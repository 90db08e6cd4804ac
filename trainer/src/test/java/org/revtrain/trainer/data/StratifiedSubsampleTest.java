package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StratifiedSubsampleTest {

  /** 1000 labels over 4 classes in proportions 10%, 20%, 30%, 40%, in a random order. */
  private static int[] labels() {
    int[] l = new int[1000];
    for (int i = 0; i < l.length; i++) {
      l[i] = i < 100 ? 0 : i < 300 ? 1 : i < 600 ? 2 : 3;
    }
    SplittableRandom r = new SplittableRandom(7);
    for (int i = l.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = l[i];
      l[i] = l[j];
      l[j] = t;
    }
    return l;
  }

  @Test
  void sameFractionAndSeedKeepTheSameExamples() {
    int[] l = labels();
    assertArrayEquals(
        StratifiedSubsample.indices(l, 4, 0.05, 3), StratifiedSubsample.indices(l, 4, 0.05, 3));
    assertFalse(
        Arrays.equals(
            StratifiedSubsample.indices(l, 4, 0.05, 3),
            StratifiedSubsample.indices(l, 4, 0.05, 4)));
  }

  @Test
  void everyClassKeepsItsShareAndIndicesAreDistinctAndAscending() {
    int[] l = labels();
    int[] kept = StratifiedSubsample.indices(l, 4, 0.1, 1);
    int[] perClass = new int[4];
    for (int k = 0; k < kept.length; k++) {
      perClass[l[kept[k]]]++;
      if (k > 0) {
        assertTrue(kept[k] > kept[k - 1], "ascending and distinct");
      }
    }
    assertArrayEquals(new int[] {10, 20, 30, 40}, perClass);
  }

  @Test
  void aTinyFractionStillKeepsOneOfEveryClassAndTheWholeSetIsEverything() {
    int[] l = labels();
    int[] kept = StratifiedSubsample.indices(l, 4, 0.001, 1);
    assertEquals(4, Arrays.stream(kept).map(i -> l[i]).distinct().count());
    assertEquals(1000, StratifiedSubsample.indices(l, 4, 1.0, 1).length);
  }

  @Test
  void fractionsOutsideZeroToOneAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> StratifiedSubsample.indices(labels(), 4, 0, 1));
    assertThrows(
        IllegalArgumentException.class, () -> StratifiedSubsample.indices(labels(), 4, 1.5, 1));
  }
}
