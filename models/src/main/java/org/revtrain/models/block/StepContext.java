package org.revtrain.models.block;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revtrain.reversible.BatchNormalization;
import org.revtrain.reversible.Phase;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * What one {@link ExplicitBlock} sees while it builds its graph: its own parameters, its step size
 * h_j, its stochastic-depth factor κ_j and the phase.
 *
 * <p>Unlike the engine's {@link org.revtrain.reversible.BlockContext}, a field here may be
 * evaluated several times per block (RK4's four stages share one set of weights). In training each
 * normalisation N records the batch moments of every evaluation, and {@link #recordedStatistics()}
 * gives their mean, μ̄ = (1/s) Σ_i μ_i and likewise σ̄², so that the running statistics describe all
 * s stages that use them at inference.
 *
 * @param <T> floating element type
 */
public final class StepContext<T extends TFloating> {
  private final Ops tf;
  private final Class<T> dtype;
  private final Map<String, Operand<T>> parameters;
  private final Operand<T> stepSize;
  private final Operand<T> keep;
  private final Phase phase;
  private final Map<String, List<Operand<T>>> recorded = new LinkedHashMap<>();

  /**
   * @param parameters this block's parameters by {@link
   *     org.revtrain.reversible.ParameterSpec#name()}
   * @param stepSize scalar h_j
   * @param keep scalar residual factor κ_j: 1, a 0/1 draw in training, or the survival probability
   *     at inference
   */
  public StepContext(
      Ops tf,
      Class<T> dtype,
      Map<String, Operand<T>> parameters,
      Operand<T> stepSize,
      Operand<T> keep,
      Phase phase) {
    this.tf = tf;
    this.dtype = dtype;
    this.parameters = Map.copyOf(parameters);
    this.stepSize = stepSize;
    this.keep = keep;
    this.phase = phase;
  }

  public Ops tf() {
    return tf;
  }

  public Class<T> dtype() {
    return dtype;
  }

  /** Step size h_j (scalar). */
  public Operand<T> stepSize() {
    return stepSize;
  }

  /** Residual factor κ_j (scalar): multiplies the block's increment. */
  public Operand<T> keep() {
    return keep;
  }

  /** A scalar constant of this context's type. */
  public Operand<T> scalar(double value) {
    return tf.constant(dtype, value);
  }

  /** The parameter called {@code name}; fails naming the parameters that exist. */
  public Operand<T> parameter(String name) {
    Operand<T> p = parameters.get(name);
    if (p == null) {
      throw new IllegalStateException(
          "block has no parameter '" + name + "'; it has " + parameters.keySet());
    }
    return p;
  }

  /**
   * {@link BatchNormalization} with parameters {@code name.gamma}, {@code name.beta} and running
   * statistics {@code name.mean}, {@code name.variance}: batch moments in training (recorded),
   * running ones at inference.
   */
  public Operand<T> batchNorm(Operand<T> x, String name) {
    boolean training = phase == Phase.TRAINING;
    BatchNormalization<T> bn =
        BatchNormalization.apply(
            tf,
            dtype,
            x,
            parameter(name + ".gamma"),
            parameter(name + ".beta"),
            training ? null : parameter(name + ".mean"),
            training ? null : parameter(name + ".variance"),
            phase);
    if (training) {
      recorded.computeIfAbsent(name + ".mean", k -> new ArrayList<>()).add(bn.mean());
      recorded.computeIfAbsent(name + ".variance", k -> new ArrayList<>()).add(bn.variance());
    }
    return bn.output();
  }

  /**
   * Per running-statistic name (e.g. {@code bn1.mean}) the mean of the batch moments over every
   * evaluation in this block; empty at inference or without normalisation.
   */
  public Map<String, Operand<T>> recordedStatistics() {
    Map<String, Operand<T>> out = new LinkedHashMap<>();
    recorded.forEach(
        (name, values) -> {
          Operand<T> sum = values.get(0);
          for (int i = 1; i < values.size(); i++) {
            sum = tf.math.add(sum, values.get(i));
          }
          out.put(name, values.size() == 1 ? sum : tf.math.mul(sum, scalar(1.0 / values.size())));
        });
    return out;
  }
}
