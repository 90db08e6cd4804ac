package org.revtrain.trainer.cli;

import java.util.OptionalDouble;
import org.revtrain.reversible.GradientMode;
import org.revtrain.trainer.Device;
import org.revtrain.trainer.LearningRateSchedule;
import org.revtrain.trainer.Precision;
import org.revtrain.trainer.data.DataException;
import org.revtrain.trainer.data.DataSource;
import org.revtrain.trainer.data.IdxReader;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters: each rejects a bad value with a one-line message. */
public final class Converters {
  private Converters() {}

  static final class Mode implements ITypeConverter<GradientMode> {
    @Override
    public GradientMode convert(String value) {
      try {
        return GradientMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --data}: builtin, fashion-mnist, idx:DIR, cifar10:DIR, cifar100:DIR. */
  public static final class Data implements ITypeConverter<DataSource> {
    /**
     * The values {@code --data} takes and the files each directory holds, for the options' help.
     */
    public static final String FORMS =
        "builtin, fashion-mnist, idx:DIR, cifar10:DIR or cifar100:DIR. idx:DIR holds "
            + IdxReader.TRAIN_IMAGES
            + ", "
            + IdxReader.TRAIN_LABELS
            + ", "
            + IdxReader.TEST_IMAGES
            + " and "
            + IdxReader.TEST_LABELS
            + " (each may end in .gz; the classes are 0 to the largest training label); cifar10:DIR"
            + " data_batch_1.bin to data_batch_5.bin and test_batch.bin, cifar100:DIR train.bin and"
            + " test.bin (or their unpacked archive's directory).";

    @Override
    public DataSource convert(String value) {
      try {
        return DataSource.parse(value);
      } catch (DataException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class Dtype implements ITypeConverter<Precision> {
    @Override
    public Precision convert(String value) {
      try {
        return Precision.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class Devices implements ITypeConverter<Device> {
    @Override
    public Device convert(String value) {
      try {
        return Device.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code --drift-tolerance}: a number in (0, 1), or {@code off} (empty). */
  static final class DriftTolerance implements ITypeConverter<OptionalDouble> {
    @Override
    public OptionalDouble convert(String value) {
      if (value.strip().equalsIgnoreCase("off")) {
        return OptionalDouble.empty();
      }
      try {
        double x = Double.parseDouble(value.strip());
        if (x > 0 && x < 1) {
          return OptionalDouble.of(x);
        }
      } catch (NumberFormatException notANumber) {
        // the message below
      }
      throw new TypeConversionException("expected a number in (0, 1) or off, got '" + value + "'");
    }
  }

  static final class Schedule implements ITypeConverter<LearningRateSchedule> {
    @Override
    public LearningRateSchedule convert(String value) {
      try {
        return LearningRateSchedule.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
