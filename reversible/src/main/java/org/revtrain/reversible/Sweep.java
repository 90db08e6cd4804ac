package org.revtrain.reversible;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * One forward sweep S_0 ↦ S_n of a {@link ReversibleUnit}, as built in a graph: its input and
 * output state, and what the unit's backward pass may use. Each kind of sweep is its own type and
 * knows its unit and phase, so that {@link ReversibleUnit#backward} refuses a sweep it cannot
 * differentiate: an inference sweep (it normalised with running statistics, which a reconstruction
 * with batch statistics would not invert) or another unit's.
 *
 * <ul>
 *   <li>an inference sweep: a loop, nothing kept;
 *   <li>a stored sweep (TRAINING, {@link GradientMode.Stored}): the blocks unrolled, every
 *       activation kept;
 *   <li>a reconstructing sweep (TRAINING, REVERSIBLE or CHECKPOINT): a loop that keeps its output
 *       state (and, for CHECKPOINT(k), every k-th block input).
 * </ul>
 *
 * @param <T> floating element type
 */
public abstract sealed class Sweep<T extends TFloating>
    permits InferenceSweep, StoredSweep, ReconstructingSweep {
  private final ReversibleUnit<T> unit;
  private final Phase phase;
  private final State<T> input;
  private final State<T> output;
  private final Map<String, Operand<T>> batchStatistics;
  private final Operand<T> keep;

  Sweep(
      ReversibleUnit<T> unit,
      Phase phase,
      State<T> input,
      State<T> output,
      Map<String, Operand<T>> batchStatistics,
      Operand<T> keep) {
    this.unit = unit;
    this.phase = phase;
    this.input = input;
    this.output = output;
    this.batchStatistics = Map.copyOf(batchStatistics);
    this.keep = keep;
  }

  /** {@return the unit that built this sweep} */
  public ReversibleUnit<T> unit() {
    return unit;
  }

  /** {@return whether batch normalisation used batch statistics (TRAINING) or running ones} */
  public Phase phase() {
    return phase;
  }

  /** {@return the unit's input state S_0, as leaves (identity ops) of the graph} */
  public State<T> input() {
    return input;
  }

  /** {@return the unit's output state S_n, as leaves} */
  public State<T> output() {
    return output;
  }

  /**
   * Per running-statistic name (e.g. {@code bn1.mean}) the batch values of all blocks, stacked to
   * [n, C]; empty without batch normalisation or at inference.
   *
   * @return the batch statistics by running-statistic name
   */
  public Map<String, Operand<T>> batchStatistics() {
    return batchStatistics;
  }

  /** {@return the per-block residual factors κ [n] this sweep used} */
  public Operand<T> keep() {
    return keep;
  }
}
