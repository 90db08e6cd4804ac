package org.revtrain.models.block;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.revtrain.reversible.BlockContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The classical fourth-order Runge–Kutta step of x' = f(x) for a state x of one or more tensors,
 * with step size h = h_j and the stochastic-depth factor κ_j of the block's context:
 *
 * <pre>
 *   k1 = f(x)              k2 = f(x + h/2 k1)
 *   k3 = f(x + h/2 k2)     k4 = f(x + h k3)
 *   x_{j+1} = x + κ_j (h/6)(k1 + 2 k2 + 2 k3 + k4)
 * </pre>
 */
final class RungeKutta4 {
  private RungeKutta4() {}

  static <T extends TFloating> List<Operand<T>> step(
      BlockContext<T> ctx, List<Operand<T>> x, UnaryOperator<List<Operand<T>>> f) {
    Ops tf = ctx.tf();
    Operand<T> h = ctx.stepSize();
    Operand<T> half = tf.math.mul(ctx.scalar(0.5), h);
    List<Operand<T>> k1 = f.apply(x);
    List<Operand<T>> k2 = f.apply(plus(tf, x, half, k1));
    List<Operand<T>> k3 = f.apply(plus(tf, x, half, k2));
    List<Operand<T>> k4 = f.apply(plus(tf, x, h, k3));
    Operand<T> two = ctx.scalar(2.0);
    List<Operand<T>> sum = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      sum.add(
          tf.math.add(
              tf.math.add(k1.get(i), tf.math.mul(two, k2.get(i))),
              tf.math.add(tf.math.mul(two, k3.get(i)), k4.get(i))));
    }
    Operand<T> weight = tf.math.mul(ctx.keep(), tf.math.mul(ctx.scalar(1.0 / 6.0), h));
    return plus(tf, x, weight, sum);
  }

  /** x + c·k, tensor by tensor. */
  private static <T extends TFloating> List<Operand<T>> plus(
      Ops tf, List<Operand<T>> x, Operand<T> c, List<Operand<T>> k) {
    List<Operand<T>> out = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      out.add(tf.math.add(x.get(i), tf.math.mul(c, k.get(i))));
    }
    return out;
  }
}
