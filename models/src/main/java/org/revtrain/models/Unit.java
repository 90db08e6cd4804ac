package org.revtrain.models;

import java.util.List;
import org.revtrain.reversible.BlockUpdate;
import org.revtrain.reversible.Phase;
import org.revtrain.reversible.State;
import org.revtrain.reversible.UnitGradients;
import org.revtrain.reversible.UnitParameter;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * One unit of a {@link Network}: n blocks of one kind acting on a two-tensor state S_0 ↦ S_n, with
 * the per-block parameters stacked along a leading block axis ([n, ...]), and its own way of
 * computing the vector-Jacobian product
 *
 * <pre>  (dS_0, dθ) = (∂S_n/∂S_0)^T dS_n, (∂S_n/∂θ)^T dS_n.</pre>
 *
 * Reversible kinds run on the engine's {@link org.revtrain.reversible.ReversibleUnit} in any
 * {@link org.revtrain.reversible.GradientMode}; explicit (non-invertible) kinds are unrolled and
 * differentiated with stored activations.
 *
 * @param <T> floating element type
 */
public interface Unit<T extends TFloating> extends AutoCloseable {

  /** Prefix of the unit's parameter names, e.g. {@code unit0}. */
  String name();

  /** Number of blocks n. */
  int blocks();

  /** Step sizes h_0 … h_{n−1} (a copy). */
  double[] stepSizes();

  /** All stacked parameters, trainable ones and running statistics. */
  List<UnitParameter<T>> parameters();

  /**
   * Builds the forward sweep.
   *
   * @param input state tensors [N, H, W, C] each
   * @param phase TRAINING uses batch statistics and prepares {@link #backward}
   * @param keep per-block residual factors κ [n] (stochastic depth), or null for all ones
   */
  Sweep<T> forward(Ops tf, State<T> input, Phase phase, Operand<T> keep);

  /** Builds the backward pass of a TRAINING sweep of this unit against {@code dOutput} = dS_n. */
  UnitGradients<T> backward(Ops tf, Sweep<T> sweep, State<T> dOutput);

  /**
   * Whether {@link #backward(Ops, Sweep, State, BlockUpdate)} can apply an update block by block:
   * true for units that reconstruct (REVERSIBLE, CHECKPOINT).
   */
  default boolean fusesUpdates() {
    return false;
  }

  /**
   * The backward pass with {@code update} applied to each block's slice of every trainable
   * parameter as soon as its gradient exists; the result has no parameter gradients.
   *
   * @throws IllegalArgumentException if {@link #fusesUpdates()} is false
   */
  default UnitGradients<T> backward(Ops tf, Sweep<T> sweep, State<T> dOutput, BlockUpdate<T> update) {
    throw new IllegalArgumentException(
        "unit " + name() + " keeps its activations and cannot update block by block; use backward(tf, sweep, dOutput)");
  }

  /**
   * Moving-average updates s ← m·s + (1 − m)·ŝ of the running statistics from one TRAINING sweep;
   * run them once per step.
   */
  List<Op> updateStatistics(Ops tf, Sweep<T> sweep, double momentum);

  /** Releases the loop functions; the graph keeps its own copies, so its ops still run. */
  @Override
  void close();

  /** A forward sweep as built in a graph. */
  interface Sweep<T extends TFloating> {
    /** The unit's input state S_0, as leaves of the graph. */
    State<T> input();

    /** The unit's output state S_n, as leaves of the graph. */
    State<T> output();
  }
}
