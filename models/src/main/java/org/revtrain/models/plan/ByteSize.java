package org.revtrain.models.plan;

import java.util.Locale;

/** Memory sizes as users write them: 16g, 800m, 64k (binary units), or bytes. */
public final class ByteSize {
  private ByteSize() {}

  /**
   * The bytes {@code text} names.
   *
   * @param text a number, optionally fractional, followed by g, m or k (GiB, MiB, KiB; case and
   *     surrounding spaces ignored) or by nothing (bytes)
   * @return the size in bytes, above 0
   * @throws IllegalArgumentException if it is not a size above 0 such as 16g or 800m
   */
  public static long parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("g")) {
      unit = 1L << 30;
    } else if (t.endsWith("m")) {
      unit = 1L << 20;
    } else if (t.endsWith("k")) {
      unit = 1L << 10;
    }
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    try {
      long v = (long) (Double.parseDouble(digits) * unit);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + text + "' is not a size such as 16g or 800m");
  }

  /**
   * {@code bytes} the way a user writes it: 8 GiB, 800 MiB.
   *
   * @param bytes a size in bytes, ≥ 0
   * @return whole GiB when {@code bytes} is a multiple of 1 GiB, else MiB rounded to an integer
   */
  public static String format(long bytes) {
    return bytes % (1L << 30) == 0
        ? (bytes >> 30) + " GiB"
        : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }
}
