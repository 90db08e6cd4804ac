package org.revtrain.trainer;

import java.util.Arrays;
import java.util.Locale;
import org.revtrain.models.ModelSpec;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The floating-point types a network is trained in: its variables and gradients, and the type its
 * reversible units' fields (convolutions, batch norm) compute in.
 */
public enum Precision {
  /** Single precision: the fast default. */
  FLOAT32("float32", TFloat32.class, TFloat32.class),
  /** Double precision: for references and gradient checks (about 2-3x slower on CPU). */
  FLOAT64("float64", TFloat64.class, TFloat64.class),
  /**
   * Mixed precision: the reversible units' fields compute in bfloat16 on float32 master weights,
   * which the optimizer updates; stem, transitions, head and loss in float32 (see {@link
   * ModelSpec.Builder#fieldType}).
   */
  BFLOAT16("bfloat16", TFloat32.class, TBfloat16.class);

  private final String id;
  private final Class<? extends TFloating> type;
  private final Class<? extends TFloating> fieldType;

  Precision(String id, Class<? extends TFloating> type, Class<? extends TFloating> fieldType) {
    this.id = id;
    this.type = type;
    this.fieldType = fieldType;
  }

  /** The name used on the command line and in {@code config.json}. */
  public String id() {
    return id;
  }

  /** The TensorFlow type of the variables, gradients and everything outside the units' fields. */
  public Class<? extends TFloating> type() {
    return type;
  }

  /**
   * {@code spec} with its reversible units' fields computing in this precision's field type (the
   * spec itself when that is the variables' type; explicit kinds, which have no reversible units,
   * are left alone: only {@code train} refuses them mixed precision).
   */
  public ModelSpec fields(ModelSpec spec) {
    if (fieldType == type || !spec.kind().reversible()) {
      return spec;
    }
    return spec.toBuilder().fieldType(fieldType).build();
  }

  /**
   * Parses {@code float32}, {@code float64} or {@code bfloat16}.
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
                    "unknown dtype '" + text + "': expected float32, float64 or bfloat16"));
  }

  @Override
  public String toString() {
    return id;
  }
}
