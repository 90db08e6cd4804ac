package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * What one block sees while it builds its graph: its own parameters, its step size h_j, its
 * stochastic-depth factor, and the phase. Batch normalisation goes through {@link #batchNorm} so
 * that batch statistics are recorded once per training step by the forward sweep and never by the
 * backward's recomputation.
 *
 * @param <T> floating element type
 */
public final class BlockContext<T extends TFloating> {
  private final Ops tf;
  private final Class<T> dtype;
  private final Map<String, ? extends Operand<?>> parameters;
  private final Map<String, Operand<T>> read = new LinkedHashMap<>();
  private final Operand<T> stepSize;
  private final Operand<T> keep;
  private final Phase phase;
  private final Class<? extends TFloating> fieldType;
  private final Map<String, List<Operand<?>>> recorded;
  private final BlockContext<? extends TFloating> master;
  private BlockContext<TFloating> field;

  /**
   * @param parameters this block's parameters by {@link ParameterSpec#name()}
   * @param stepSize scalar h_j
   * @param keep scalar residual factor: 1, or 0/1 drawn for stochastic depth, or the survival
   *     probability at inference
   * @param fieldType the type F the block's fields compute in (see {@link #field})
   * @param record whether batch statistics computed here should be recorded
   */
  BlockContext(
      Ops tf,
      Class<T> dtype,
      Map<String, Operand<T>> parameters,
      Operand<T> stepSize,
      Operand<T> keep,
      Phase phase,
      Class<? extends TFloating> fieldType,
      boolean record) {
    this(
        tf,
        dtype,
        parameters,
        stepSize,
        keep,
        phase,
        fieldType,
        record ? new LinkedHashMap<>() : null,
        null);
  }

  private BlockContext(
      Ops tf,
      Class<T> dtype,
      Map<String, ? extends Operand<?>> parameters,
      Operand<T> stepSize,
      Operand<T> keep,
      Phase phase,
      Class<? extends TFloating> fieldType,
      Map<String, List<Operand<?>>> recorded,
      BlockContext<? extends TFloating> master) {
    this.tf = tf;
    this.dtype = dtype;
    this.parameters = parameters;
    this.stepSize = stepSize;
    this.keep = keep;
    this.phase = phase;
    this.fieldType = fieldType;
    this.recorded = recorded;
    this.master = master;
  }

  /**
   * This block as its fields see it, in the unit's field type F ({@link
   * ReversibleUnitBuilder#fieldType}): each parameter θ_j is cast to F where a field first reads
   * it, h_j and κ_j likewise, and the state a field reads is rounded to F by {@link #compute}. The
   * parameters stay T's master copies: a gradient taken with respect to {@link #parameter} of this
   * context passes the casts and arrives in T, where an optimizer updates it. Batch statistics the
   * fields record come back in T from {@link #recordedStatistics}. Batch normalisation runs in T
   * (see {@link #batchNorm}). This context itself when F is T. Mixed precision lives here and
   * nowhere else: a block kind never sees it.
   */
  @SuppressWarnings("unchecked")
  BlockContext<TFloating> field() {
    if (field == null && fieldType == dtype) {
      field = (BlockContext<TFloating>) this;
    } else if (field == null) {
      Class<TFloating> f = (Class<TFloating>) fieldType;
      field =
          new BlockContext<TFloating>(
              tf,
              f,
              parameters,
              State.converted(tf, stepSize, f),
              State.converted(tf, keep, f),
              phase,
              f,
              recorded,
              this);
    }
    return field;
  }

  /** {@return the ops the block's fields build with: the loop body's, or the unrolled graph's} */
  public Ops tf() {
    return tf;
  }

  /** {@return the type T this context computes in} */
  public Class<T> dtype() {
    return dtype;
  }

  /** {@return step size h_j of this block (scalar)} */
  public Operand<T> stepSize() {
    return stepSize;
  }

  /** {@return residual factor of this block (scalar): multiplies the block's vector field} */
  public Operand<T> keep() {
    return keep;
  }

  /**
   * {@code x} in this context's type T: the state tensor a block's fields read.
   *
   * @param x a state tensor, in any floating type
   * @return {@code x}, cast to T unless it is T already
   */
  public Operand<T> compute(Operand<? extends TFloating> x) {
    return State.converted(tf, x, dtype);
  }

  /** {@code x} in the state's type S, for the state update (no op when S is T). */
  <S extends TFloating> Operand<S> widen(Operand<? extends TFloating> x, Class<S> stateType) {
    return State.converted(tf, x, stateType);
  }

  /**
   * A scalar constant of this context's type.
   *
   * @param value its value
   * @return the constant, of type T
   */
  public Operand<T> scalar(double value) {
    return tf.constant(dtype, value);
  }

  /**
   * The parameter called {@code name}: this block's slice θ_j, in this context's type.
   *
   * @param name a parameter of the block's {@link Block#parameters}, e.g. {@code K1}
   * @return θ_j of that parameter
   * @throws IllegalStateException naming the parameters that exist, if there is no such one
   */
  public Operand<T> parameter(String name) {
    Operand<?> p = parameters.get(name);
    if (p == null) {
      throw new IllegalStateException(
          "block has no parameter '" + name + "'; it has " + parameters.keySet());
    }
    return read.computeIfAbsent(name, k -> State.converted(tf, p, dtype));
  }

  /**
   * {@link BatchNormalization} with the parameters {@link ParameterSpec#batchNorm} names: {@code
   * name.gamma}, {@code name.beta} and the running statistics {@code name.mean}, {@code
   * name.variance}. In training it normalises with the batch moments and the forward sweep records
   * them for the running statistics' update; the backward's recomputation never does.
   *
   * <p>In a {@link #field} view of a narrower type it normalises in the parameters' own type T and
   * rounds the result to the view's: moments of bfloat16 values in bfloat16 lose the centred values
   * x − μ to cancellation, and TensorFlow's CPU kernels for bfloat16 element-wise ops (Sub, Mul,
   * SquaredDifference) take about twice the time of the same ops in float32 (measured in a
   * Hamiltonian training step), while its bfloat16 convolutions are faster.
   *
   * @param x the input [N, H, W, C]
   * @param name the batch normalisation's name in the block, e.g. {@code bn1}
   * @return the normalised, scaled and offset {@code x}
   */
  public Operand<T> batchNorm(Operand<T> x, String name) {
    if (master != null) {
      return State.converted(tf, normalised(master, x, name), dtype);
    }
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
    if (training && recorded != null) {
      recorded.computeIfAbsent(name + ".mean", k -> new ArrayList<>()).add(bn.mean());
      recorded.computeIfAbsent(name + ".variance", k -> new ArrayList<>()).add(bn.variance());
    }
    return bn.output();
  }

  private static <U extends TFloating> Operand<U> normalised(
      BlockContext<U> c, Operand<?> x, String name) {
    return c.batchNorm(State.converted(c.tf, x, c.dtype), name);
  }

  /**
   * Batch statistics recorded by {@link #batchNorm}, in order and in T, also those its {@link
   * #field} view recorded; empty unless recording. A normalisation evaluated s times in one block
   * (RK4's stages share their weights) gives the mean of its s batch moments, μ̄ = (1/s) Σ_i μ_i
   * and likewise σ̄², so that the running statistics describe every evaluation that uses them at
   * inference.
   */
  Map<String, Operand<T>> recordedStatistics() {
    if (recorded == null) {
      return Map.of();
    }
    Map<String, Operand<T>> out = new LinkedHashMap<>();
    recorded.forEach(
        (name, values) -> {
          Operand<T> sum = State.converted(tf, values.get(0), dtype);
          for (int i = 1; i < values.size(); i++) {
            sum = tf.math.add(sum, State.converted(tf, values.get(i), dtype));
          }
          out.put(name, values.size() == 1 ? sum : tf.math.mul(sum, scalar(1.0 / values.size())));
        });
    return Collections.unmodifiableMap(out);
  }
}
