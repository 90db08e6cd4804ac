package org.revtrain.experiments;

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
      try {
        return org.revtrain.models.plan.ByteSize.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }

    /** {@code bytes} the way a user writes it: 8 GiB, 800 MiB. */
    static String format(long bytes) {
      return org.revtrain.models.plan.ByteSize.format(bytes);
    }
  }
}
