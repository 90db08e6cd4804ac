package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * One stacked parameter of a unit: the {@link ParameterSpec} of one block and the variable of
 * shape [n, spec.shape...] that holds it for all n blocks.
 */
public record UnitParameter<T extends TFloating>(ParameterSpec spec, ResourceVariable<T> variable) {

  /**
   * Moving-average updates s ← m·s + (1 − m)·ŝ of every running statistic among {@code
   * parameters} (the non-trainable ones) that a TRAINING sweep recorded a batch value ŝ for.
   *
   * @param batchStatistics ŝ, stacked [n, ...], keyed by parameter name
   * @param momentum m in [0, 1]
   */
  public static <T extends TFloating> List<Op> movingAverages(
      Ops tf,
      List<UnitParameter<T>> parameters,
      Map<String, Operand<T>> batchStatistics,
      double momentum) {
    List<Op> updates = new ArrayList<>();
    for (UnitParameter<T> p : parameters) {
      Operand<T> batch = batchStatistics.get(p.spec().name());
      if (p.spec().trainable() || batch == null) {
        continue;
      }
      Class<T> dtype = p.variable().type();
      Operand<T> next =
          tf.math.add(
              tf.math.mul(tf.constant(dtype, momentum), p.variable().read(tf)),
              tf.math.mul(tf.constant(dtype, 1 - momentum), batch));
      updates.add(p.variable().assign(tf, next));
    }
    return updates;
  }
}
