package org.revtrain.experiments;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters of the experiments' options: a bad value is a usage error (exit code 2, one line
 * naming the option) before anything runs.
 */
final class OptionConverters {
  private OptionConverters() {}

  /** A count of at least 1: batch sizes, image sides, steps, minutes. */
  static final class AtLeastOne implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number");
      }
      if (n < 1) {
        throw new TypeConversionException("must be at least 1, got " + n);
      }
      return n;
    }
  }

  /** A memory size in bytes, written with a unit: 16g, 800m, 64k (binary units). */
  static final class ByteSize implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return bytes(value);
    }

    static long bytes(String text) {
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
      throw new TypeConversionException("'" + text + "' is not a size such as 16g or 800m");
    }

    /** {@code bytes} the way a user writes it: 8 GiB, 800 MiB. */
    static String format(long bytes) {
      return bytes % (1L << 30) == 0
          ? (bytes >> 30) + " GiB"
          : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
  }
}
