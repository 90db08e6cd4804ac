package org.revtrain.trainer;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/** The floating-point type a network is trained in: its variables, activations and gradients. */
public enum Precision {
  /** Single precision: the fast default. */
  FLOAT32("float32", TFloat32.class),
  /** Double precision: for references and gradient checks (about 2-3x slower on CPU). */
  FLOAT64("float64", TFloat64.class);

  private final String id;
  private final Class<? extends TFloating> type;

  Precision(String id, Class<? extends TFloating> type) {
    this.id = id;
    this.type = type;
  }

  /** The name used on the command line and in {@code config.json}. */
  public String id() {
    return id;
  }

  /** The TensorFlow type. */
  public Class<? extends TFloating> type() {
    return type;
  }

  /**
   * Parses {@code float32} or {@code float64}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Precision parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(p -> p.id.equals(t))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown dtype '" + text + "': expected float32 or float64"));
  }

  @Override
  public String toString() {
    return id;
  }
}
