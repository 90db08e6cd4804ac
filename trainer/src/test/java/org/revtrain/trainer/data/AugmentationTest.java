package org.revtrain.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  private static final int H = 3;
  private static final int W = 4;
  private static final int C = 2;

  /** A 3x4x2 image whose value encodes its position: {@code 100 * y + 10 * x + c + 1}. */
  private static float[] knownImage() {
    float[] img = new float[H * W * C];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < C; c++) {
          img[(y * W + x) * C + c] = 100 * y + 10 * x + c + 1;
        }
      }
    }
    return img;
  }

  private static float[] mirrored(float[] img) {
    float[] out = new float[img.length];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < C; c++) {
          out[(y * W + x) * C + c] = img[(y * W + (W - 1 - x)) * C + c];
        }
      }
    }
    return out;
  }

  private static float[] batchOf(float[] img, int n) {
    float[] batch = new float[img.length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(img, 0, batch, i * img.length, img.length);
    }
    return batch;
  }

  @Test
  void flipOnlyMirrorsOrKeepsEachImage() {
    float[] img = knownImage();
    float[] mirror = mirrored(img);
    // Row 0, channel 0 of the mirror reads 31, 21, 11, 1 (columns 3, 2, 1, 0 of the original).
    assertArrayEquals(
        new float[] {31, 21, 11, 1}, new float[] {mirror[0], mirror[2], mirror[4], mirror[6]});
    int n = 64;
    float[] batch = batchOf(img, n);

    new Augmentation(true, 0, true).apply(batch, n, H, W, C, new SplittableRandom(1));

    int flipped = 0;
    for (int i = 0; i < n; i++) {
      float[] out = Arrays.copyOfRange(batch, i * img.length, (i + 1) * img.length);
      if (Arrays.equals(out, mirror)) {
        flipped++;
      } else {
        assertArrayEquals(img, out, "image " + i + " is neither the original nor its mirror");
      }
    }
    assertTrue(flipped > 10 && flipped < 54, "flipped " + flipped + " of " + n);
  }

  @Test
  void disabledLeavesBatchUnchanged() {
    float[] batch = batchOf(knownImage(), 8);
    float[] before = batch.clone();

    Augmentation.standard(false).apply(batch, 8, H, W, C, new SplittableRandom(1));
    new Augmentation(false, 4, true).apply(batch, 8, H, W, C, new SplittableRandom(1));

    assertArrayEquals(before, batch);
  }

  @Test
  void cropShiftsContentAndPadsWithZeros() {
    float[] img = knownImage();
    int n = 200;
    float[] batch = batchOf(img, n);

    new Augmentation(true, 1, false).apply(batch, n, H, W, C, new SplittableRandom(3));

    boolean sawShift = false;
    for (int i = 0; i < n; i++) {
      float[] out = Arrays.copyOfRange(batch, i * img.length, (i + 1) * img.length);
      int[] shift = findShift(img, out);
      assertTrue(shift != null, "image " + i + " is not a shifted copy: " + Arrays.toString(out));
      sawShift |= shift[0] != 0 || shift[1] != 0;
    }
    assertTrue(sawShift);
  }

  @Test
  void sameSeedSameResult() {
    float[] a = batchOf(knownImage(), 16);
    float[] b = a.clone();

    Augmentation.standard().apply(a, 16, H, W, C, new SplittableRandom(9));
    Augmentation.standard().apply(b, 16, H, W, C, new SplittableRandom(9));

    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, batchOf(knownImage(), 16)));
  }

  /** The (dy, dx) with out(y, x) = img(y + dy, x + dx), zero outside, or null if none fits. */
  private static int[] findShift(float[] img, float[] out) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        boolean ok = true;
        for (int y = 0; y < H && ok; y++) {
          for (int x = 0; x < W && ok; x++) {
            for (int c = 0; c < C; c++) {
              int sy = y + dy;
              int sx = x + dx;
              float expected =
                  sy < 0 || sy >= H || sx < 0 || sx >= W ? 0f : img[(sy * W + sx) * C + c];
              if (out[(y * W + x) * C + c] != expected) {
                ok = false;
                break;
              }
            }
          }
        }
        if (ok) {
          return new int[] {dy, dx};
        }
      }
    }
    return null;
  }
}
