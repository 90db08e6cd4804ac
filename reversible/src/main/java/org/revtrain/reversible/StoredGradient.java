package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * STORED: the n blocks unrolled in the graph, S_{j+1} = Φ_j(S_j), each reading its own slices θ_j
 * of one read of every stacked parameter, and the backward pass one {@link Graph#addGradients} from
 * the unit's output to its input and to every θ_j. Every activation is kept, and the graph grows
 * with n: the baseline, and the only mode of {@link ExplicitBlock}s.
 */
final class StoredGradient implements GradientStrategy {
  private int calls;

  @Override
  public <T extends TFloating> Sweep<T> forward(
      ReversibleUnit<T> unit, Ops tf, State<T> input, Operand<T> keep) {
    Class<T> dtype = unit.dtype();
    Map<String, List<Operand<T>>> slices = new LinkedHashMap<>();
    for (UnitParameter<T> p : unit.parameters()) {
      slices.put(p.spec().name(), unstack(tf, p.variable().read(tf), unit.blocks()));
    }
    List<Operand<T>> h = unstack(tf, unit.vector(tf, unit.stepSizes()), unit.blocks());
    List<Operand<T>> kappa = unstack(tf, keep, unit.blocks());
    Map<String, List<Operand<T>>> statistics = new LinkedHashMap<>();
    State<TFloating> s = input.as(tf, unit.stateType());
    for (int j = 0; j < unit.blocks(); j++) {
      Map<String, Operand<T>> w = new LinkedHashMap<>();
      for (Map.Entry<String, List<Operand<T>>> e : slices.entrySet()) {
        w.put(e.getKey(), e.getValue().get(j));
      }
      BlockContext<T> ctx =
          new BlockContext<>(
              tf, dtype, w, h.get(j), kappa.get(j), Phase.TRAINING, unit.fieldType(), true);
      s = Couplings.step(unit.block(), ctx, s);
      ctx.recordedStatistics()
          .forEach((k, v) -> statistics.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    Map<String, Operand<T>> stacked = new LinkedHashMap<>();
    statistics.forEach((k, v) -> stacked.put(k, tf.stack(v)));
    State<TFloating> last = new State<>(tf.identity(s.a()), tf.identity(s.b()));
    State<T> output = unit.trainingOutput(tf, last.as(tf, dtype), stacked);
    return new StoredSweep<>(unit, input, output, stacked, keep, slices);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends TFloating> UnitGradients<T> backward(
      ReversibleUnit<T> unit,
      Ops tf,
      Sweep<T> sweep,
      State<T> dOutput,
      Optional<BlockUpdate<T>> update) {
    if (update.isPresent()) {
      throw new IllegalArgumentException(
          "unit "
              + unit.name()
              + " is STORED: a per-block update needs a reconstructing backward (REVERSIBLE or"
              + " CHECKPOINT); update the stacked gradients of backward(tf, sweep, dOutput)");
    }
    StoredSweep<T> stored = (StoredSweep<T>) sweep;
    // addGradients refuses an x the outputs do not depend on: one-step explicit schemes on time
    // levels never read Y_{−1}
    boolean first = !(unit.block() instanceof ExplicitBlock e) || e.readsFirstTensor();
    List<Output<?>> xs = new ArrayList<>();
    if (first) {
      xs.add(sweep.input().a().asOutput());
    }
    xs.add(sweep.input().b().asOutput());
    List<UnitParameter<T>> trainable = unit.trainableParameters();
    for (UnitParameter<T> p : trainable) {
      for (Operand<T> w : stored.slices().get(p.spec().name())) {
        xs.add(w.asOutput());
      }
    }
    Graph g = (Graph) tf.scope().env();
    Output<?>[] grads =
        g.addGradients(
            unit.name() + "_stored_grad" + (calls++),
            new Output<?>[] {sweep.output().a().asOutput(), sweep.output().b().asOutput()},
            xs.toArray(new Output<?>[0]),
            new Output<?>[] {dOutput.a().asOutput(), dOutput.b().asOutput()});
    int k = first ? 2 : 1;
    Map<String, Operand<T>> dParams = new LinkedHashMap<>();
    for (UnitParameter<T> p : trainable) {
      List<Operand<T>> perBlock = new ArrayList<>();
      for (int j = 0; j < unit.blocks(); j++) {
        perBlock.add((Operand<T>) grads[k++]);
      }
      dParams.put(p.spec().name(), tf.stack(perBlock));
    }
    Operand<T> dFirst = first ? (Operand<T>) grads[0] : tf.zerosLike(sweep.input().a());
    State<T> dIn = new State<>(dFirst, (Operand<T>) grads[first ? 1 : 0]);
    List<Op> whole = new ArrayList<>(List.of(dIn.a(), dIn.b()));
    whole.addAll(dParams.values());
    Op done = tf.withControlDependencies(whole).noOp();
    return new UnitGradients<>(dIn, dParams, tf.constant(unit.dtype(), 0.0), done);
  }

  private static <T extends TFloating> List<Operand<T>> unstack(
      Ops tf, Operand<T> stacked, int blocks) {
    List<Operand<T>> parts = new ArrayList<>();
    tf.unstack(stacked, (long) blocks).output().forEach(parts::add);
    return parts;
  }
}
