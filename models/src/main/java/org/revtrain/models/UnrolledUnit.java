package org.revtrain.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revtrain.models.block.ExplicitBlock;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.Phase;
import org.revtrain.reversible.ResourceVariable;
import org.revtrain.reversible.State;
import org.revtrain.reversible.UnitGradients;
import org.revtrain.reversible.UnitParameter;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A {@link Unit} of {@link ExplicitBlock}s, STORED only: the n blocks are unrolled in the graph,
 * S_{j+1} = block_j(S_j), and the backward pass is one {@link Graph#addGradients} from the unit's
 * output to its input and to each stacked parameter's read (every activation is kept, as in any
 * plain-autodiff network). The graph grows with n.
 */
final class UnrolledUnit<T extends TFloating> implements Unit<T> {
  private final ExplicitBlock block;
  private final String name;
  private final int blocks;
  private final int channels;
  private final double[] stepSizes;
  private final Class<T> dtype;
  private final List<UnitParameter<T>> parameters;
  private int gradientCalls;

  UnrolledUnit(ExplicitBlock block, UnitConfig config, Ops tf, Class<T> dtype) {
    this.block = block;
    this.name = config.name();
    this.blocks = config.blocks();
    this.channels = config.channels();
    this.stepSizes = config.stepSizes().clone();
    this.dtype = dtype;
    if (stepSizes.length != blocks) {
      throw new IllegalArgumentException(
          stepSizes.length + " step sizes given for a unit of " + blocks + " blocks");
    }
    List<UnitParameter<T>> ps = new ArrayList<>();
    List<ParameterSpec> specs = block.parameters(channels);
    for (int k = 0; k < specs.size(); k++) {
      ParameterSpec spec = specs.get(k);
      Operand<T> init =
          block.initialValue(tf, dtype, spec, blocks, config.seed(), 1000L * name.hashCode() + k);
      ResourceVariable<T> v = ResourceVariable.create(tf, name + "." + spec.name(), init);
      ps.add(new UnitParameter<>(spec, v));
    }
    this.parameters = List.copyOf(ps);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int blocks() {
    return blocks;
  }

  @Override
  public double[] stepSizes() {
    return stepSizes.clone();
  }

  @Override
  public List<UnitParameter<T>> parameters() {
    return parameters;
  }

  @Override
  public Sweep<T> forward(Ops tf, State<T> input, Phase phase, Operand<T> keep) {
    checkChannels(input);
    State<T> in = new State<>(tf.identity(input.a()), tf.identity(input.b()));
    // one read per sweep (DESIGN pitfall 3), sliced per block
    Map<String, Operand<T>> reads = new LinkedHashMap<>();
    Map<String, List<Operand<T>>> perBlock = new LinkedHashMap<>();
    for (UnitParameter<T> p : parameters) {
      Operand<T> read = p.variable().read(tf);
      reads.put(p.spec().name(), read);
      perBlock.put(p.spec().name(), unstack(tf, read));
    }
    List<Operand<T>> h = unstack(tf, tf.dtypes.cast(tf.constant(stepSizes), dtype));
    List<Operand<T>> kappa = keep == null ? null : unstack(tf, keep);
    Map<String, List<Operand<T>>> statistics = new LinkedHashMap<>();
    State<T> s = in;
    for (int j = 0; j < blocks; j++) {
      Map<String, Operand<T>> w = new LinkedHashMap<>();
      for (Map.Entry<String, List<Operand<T>>> e : perBlock.entrySet()) {
        w.put(e.getKey(), e.getValue().get(j));
      }
      Operand<T> k = kappa == null ? tf.constant(dtype, 1.0) : kappa.get(j);
      BlockContext<T> ctx = new BlockContext<>(tf, dtype, w, h.get(j), k, phase, true);
      s = block.forward(ctx, s);
      ctx.recordedStatistics()
          .forEach((n, v) -> statistics.computeIfAbsent(n, x -> new ArrayList<>()).add(v));
    }
    Map<String, Operand<T>> stacked = new LinkedHashMap<>();
    statistics.forEach((n, v) -> stacked.put(n, tf.stack(v)));
    State<T> out = new State<>(tf.identity(s.a()), tf.identity(s.b()));
    return new UnrolledSweep<>(this, in, out, phase, reads, stacked);
  }

  @Override
  @SuppressWarnings("unchecked")
  public UnitGradients<T> backward(Ops tf, Sweep<T> sweep, State<T> dOutput) {
    UnrolledSweep<T> s = own(sweep);
    if (s.phase() != Phase.TRAINING) {
      throw new IllegalArgumentException(
          "backward needs a TRAINING forward sweep of this unit (" + name + ")");
    }
    // addGradients refuses an x the outputs do not depend on: one-step schemes never read Y_{−1}
    boolean previous = block.readsFirstTensor();
    List<String> trainable = new ArrayList<>();
    List<Output<?>> xs = new ArrayList<>();
    if (previous) {
      xs.add(s.input().a().asOutput());
    }
    xs.add(s.input().b().asOutput());
    for (UnitParameter<T> p : parameters) {
      if (p.spec().trainable()) {
        trainable.add(p.spec().name());
        xs.add(s.reads().get(p.spec().name()).asOutput());
      }
    }
    Graph g = (Graph) tf.scope().env();
    Output<?>[] grads =
        g.addGradients(
            name + "_unrolled_grad" + (gradientCalls++),
            new Output<?>[] {s.output().a().asOutput(), s.output().b().asOutput()},
            xs.toArray(new Output<?>[0]),
            new Output<?>[] {dOutput.a().asOutput(), dOutput.b().asOutput()});
    int at = previous ? 2 : 1;
    Map<String, Operand<T>> dParams = new LinkedHashMap<>();
    for (int k = 0; k < trainable.size(); k++) {
      dParams.put(trainable.get(k), (Operand<T>) grads[k + at]);
    }
    Operand<T> dPrevious = previous ? (Operand<T>) grads[0] : tf.zerosLike(s.input().a());
    State<T> dIn = new State<>(dPrevious, (Operand<T>) grads[at - 1]);
    return new UnitGradients<>(dIn, dParams, tf.constant(dtype, 0.0));
  }

  @Override
  public List<Op> updateStatistics(Ops tf, Sweep<T> sweep, double momentum) {
    UnrolledSweep<T> s = own(sweep);
    return UnitParameter.movingAverages(tf, parameters, s.statistics(), momentum);
  }

  @Override
  public void close() {
    // no native resources: the unrolled graph belongs to its Graph
  }

  private UnrolledSweep<T> own(Sweep<T> sweep) {
    if (sweep instanceof UnrolledSweep<T> s && s.unit() == this) {
      return s;
    }
    throw new IllegalArgumentException("unit " + name + " was given another unit's sweep");
  }

  private void checkChannels(State<T> s) {
    long c = s.b().shape().size(3);
    if (s.a().shape().numDimensions() != 4
        || s.b().shape().numDimensions() != 4
        || (c >= 0 && c != channels)) {
      throw new IllegalArgumentException(
          "unit "
              + name
              + ": input tensors must be [N, H, W, "
              + channels
              + "], got "
              + s.a().shape()
              + " and "
              + s.b().shape());
    }
  }

  private List<Operand<T>> unstack(Ops tf, Operand<T> stacked) {
    List<Operand<T>> parts = new ArrayList<>();
    tf.unstack(stacked, (long) blocks).output().forEach(parts::add);
    return parts;
  }

  /**
   * An unrolled sweep: its parameter reads (the leaves the backward differentiates against) and
   * the batch statistics of every block, stacked to [n, C].
   */
  private record UnrolledSweep<T extends TFloating>(
      UnrolledUnit<T> unit,
      State<T> input,
      State<T> output,
      Phase phase,
      Map<String, Operand<T>> reads,
      Map<String, Operand<T>> statistics)
      implements Sweep<T> {}
}
