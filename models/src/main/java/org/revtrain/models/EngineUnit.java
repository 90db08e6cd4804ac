package org.revtrain.models;

import java.util.List;
import org.revtrain.reversible.BlockUpdate;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.Phase;
import org.revtrain.reversible.ReversibleUnit;
import org.revtrain.reversible.State;
import org.revtrain.reversible.UnitForward;
import org.revtrain.reversible.UnitGradients;
import org.revtrain.reversible.UnitParameter;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A {@link Unit} of reversible blocks run by the engine's {@link ReversibleUnit}: REVERSIBLE and
 * CHECKPOINT(k) reconstruct block inputs by inversion from the top; STORED is plain autodiff.
 */
final class EngineUnit<T extends TFloating> implements Unit<T> {
  private final ReversibleUnit<T> engine;

  EngineUnit(ReversibleUnit<T> engine) {
    this.engine = engine;
  }

  /** The engine unit behind this one. */
  ReversibleUnit<T> engine() {
    return engine;
  }

  @Override
  public String name() {
    return engine.name();
  }

  @Override
  public int blocks() {
    return engine.blocks();
  }

  @Override
  public double[] stepSizes() {
    return engine.stepSizes();
  }

  @Override
  public List<UnitParameter<T>> parameters() {
    return engine.parameters();
  }

  @Override
  public Sweep<T> forward(Ops tf, State<T> input, Phase phase, Operand<T> keep) {
    return new EngineSweep<>(engine.forward(tf, input, phase, keep));
  }

  @Override
  public UnitGradients<T> backward(Ops tf, Sweep<T> sweep, State<T> dOutput) {
    return engine.backward(tf, own(sweep).forward(), dOutput);
  }

  @Override
  public boolean fusesUpdates() {
    return !(engine.mode() instanceof GradientMode.Stored);
  }

  @Override
  public UnitGradients<T> backward(Ops tf, Sweep<T> sweep, State<T> dOutput, BlockUpdate<T> update) {
    return engine.backward(tf, own(sweep).forward(), dOutput, update);
  }

  @Override
  public List<Op> updateStatistics(Ops tf, Sweep<T> sweep, double momentum) {
    return engine.updateStatistics(tf, own(sweep).forward(), momentum);
  }

  private EngineSweep<T> own(Sweep<T> sweep) {
    if (sweep instanceof EngineSweep<T> s) {
      return s;
    }
    throw new IllegalArgumentException("unit " + name() + " was given another unit's sweep");
  }

  @Override
  public void close() {
    engine.close();
  }

  /** The engine's sweep. */
  private record EngineSweep<T extends TFloating>(UnitForward<T> forward) implements Sweep<T> {
    @Override
    public State<T> input() {
      return forward.input();
    }

    @Override
    public State<T> output() {
      return forward.output();
    }
  }
}
