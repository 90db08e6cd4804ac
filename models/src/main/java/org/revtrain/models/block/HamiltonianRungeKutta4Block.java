package org.revtrain.models.block;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ExplicitBlock;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.State;
import org.revtrain.reversible.block.TwoLayerField;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Classical fourth-order Runge–Kutta on Chang et al.'s Hamiltonian system, on channel halves (Y,
 * Z):
 *
 * <pre>
 *   Y' = F1(Z),   Z' = −F2(Y),   F_i(X) = K_i^T σ(K_i X + b_i)
 *
 * </pre>
 *
 * stepped by {@link RungeKutta4} with x = (Y, Z).
 *
 * <p>The same ODE as the {@link org.revtrain.reversible.block.HamiltonianBlock}'s Verlet step, with
 * the same parameters ({@link TwoLayerField}s "1" and "2"), so a network trained with one can be
 * evaluated with the other (a solver crossover). Batch normalisation uses each stage's batch
 * moments in training; the running statistics follow their mean over the stages. Sixteen
 * convolution layers per block (four per stage, counted as applied). Not invertible.
 */
public final class HamiltonianRungeKutta4Block implements ExplicitBlock {
  private final TwoLayerField f1;
  private final TwoLayerField f2;

  /**
   * @param batchNorm normalise inside σ
   */
  public HamiltonianRungeKutta4Block(boolean batchNorm) {
    this.f1 = new TwoLayerField("1", batchNorm);
    this.f2 = new TwoLayerField("2", batchNorm);
  }

  /** Both halves are read: Y by F2, Z by F1. */
  @Override
  public boolean readsFirstTensor() {
    return true;
  }

  @Override
  public List<ParameterSpec> parameters(int channels) {
    List<ParameterSpec> ps = new ArrayList<>(f1.parameters(channels));
    ps.addAll(f2.parameters(channels));
    return ps;
  }

  @Override
  public <T extends TFloating> State<T> forward(BlockContext<T> ctx, State<T> s) {
    // x = (Y, Z), f(x) = (F1(Z), −F2(Y))
    List<Operand<T>> next =
        RungeKutta4.step(
            ctx,
            List.of(s.a(), s.b()),
            x -> List.of(f1.apply(ctx, x.get(1)), ctx.tf().math.neg(f2.apply(ctx, x.get(0)))));
    return new State<>(next.get(0), next.get(1));
  }
}
