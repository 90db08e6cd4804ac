package org.revtrain.reversible;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;

/**
 * TensorFlow's gradient of the forward loops of reversible units, so that {@code
 * Graph.addGradients} (and {@code tf.gradients}, and the optimizers built on them) pass through a
 * unit by its reconstructing backward pass.
 *
 * <p>TensorFlow Java keys a custom gradient by op type, process-wide, and cannot replace one: this
 * class registers one function for {@code While} and {@code StatelessWhile} (which have none) once
 * per process, and keeps a rule per loop, keyed by (graph, op name). A loop without a rule (one
 * RevTrain did not build) is refused with a message naming it.
 */
final class LoopGradient {
  private static final Map<ExecutionEnvironment, Map<String, Rule>> RULES = new HashMap<>();
  private static boolean registered;

  /** The gradient of one loop. */
  @FunctionalInterface
  interface Rule {
    /**
     * Builds the gradients of the loop's inputs.
     *
     * @param tf ops in the gradient's scope
     * @param upstream the gradient of each loop output, in order (the counter first)
     * @return one gradient per loop input, in order, null where there is none
     */
    List<Operand<?>> apply(Ops tf, List<Output<?>> upstream);
  }

  private LoopGradient() {}

  /** A rule in force; closing it drops the rule. */
  static final class Registration implements AutoCloseable {
    private final Operation loop;

    private Registration(Operation loop) {
      this.loop = loop;
    }

    @Override
    public void close() {
      forget(loop);
    }

    @Override
    public String toString() {
      return "the gradient rule of " + loop.name();
    }
  }

  /** Makes {@code loop}'s gradient {@code rule}, until the registration is closed. */
  static synchronized Registration register(Operation loop, Rule rule) {
    registerOnce();
    RULES.computeIfAbsent(loop.env(), g -> new HashMap<>()).put(loop.name(), rule);
    return new Registration(loop);
  }

  private static synchronized void forget(Operation loop) {
    Map<String, Rule> rules = RULES.get(loop.env());
    if (rules != null) {
      rules.remove(loop.name());
      if (rules.isEmpty()) {
        RULES.remove(loop.env());
      }
    }
  }

  private static void registerOnce() {
    if (registered) {
      return;
    }
    for (String type : List.of("While", "StatelessWhile")) {
      if (!TensorFlow.registerCustomGradient(type, LoopGradient::gradient)) {
        throw new IllegalStateException(
            "cannot register the gradient of reversible units: a gradient for TensorFlow's "
                + type
                + " op is already registered in this process");
      }
    }
    registered = true;
  }

  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> upstream) {
    Rule rule;
    synchronized (LoopGradient.class) {
      Map<String, Rule> rules = RULES.get(op.env());
      rule = rules == null ? null : rules.get(op.name());
    }
    if (rule == null) {
      throw new UnsupportedOperationException(
          "no gradient for "
              + op.type()
              + " op '"
              + op.name()
              + "': only the forward loops of reversible units (built for TRAINING) are"
              + " differentiable");
    }
    return rule.apply(tf, upstream);
  }
}
