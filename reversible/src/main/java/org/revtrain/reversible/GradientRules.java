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
 * TensorFlow's gradients of the ops through which {@code Graph.addGradients} (and the optimizers
 * built on it) pass a reversible unit: its forward loop ({@code While}, {@code StatelessWhile}),
 * whose gradient is the reconstructing backward pass, and the empty {@code ResourceGather} that
 * ties each parameter's variable handle to the loop ({@link BlockInputs}).
 *
 * <p>TensorFlow Java keys a custom gradient by op type, process-wide, and cannot replace one. None
 * of these op types has one: this class registers one function for each, once per process, and
 * keeps a rule per op, keyed by (graph, op name). An op of these types without a rule (one RevTrain
 * did not build) is refused with a message naming it, as it was before.
 */
final class GradientRules {
  private static final List<String> TYPES = List.of("While", "StatelessWhile", "ResourceGather");
  private static final Map<ExecutionEnvironment, Map<String, Rule>> RULES = new HashMap<>();
  private static boolean registered;

  /** The gradient of one op. */
  @FunctionalInterface
  interface Rule {
    /**
     * Builds the gradients of the op's inputs.
     *
     * @param tf ops in the gradient's scope: ops only, the graph answers no questions there
     * @param upstream the gradient of each of the op's outputs, in order
     * @return one gradient per input of the op, in order
     */
    List<Operand<?>> apply(Ops tf, List<Output<?>> upstream);
  }

  /** A rule in force; closing it drops the rule. */
  static final class Registration implements AutoCloseable {
    private final Operation op;

    private Registration(Operation op) {
      this.op = op;
    }

    @Override
    public void close() {
      forget(op);
    }

    @Override
    public String toString() {
      return "the gradient rule of " + op.name();
    }
  }

  private GradientRules() {}

  /** Makes {@code op}'s gradient {@code rule}, until the registration is closed. */
  static synchronized Registration register(Operation op, Rule rule) {
    if (!TYPES.contains(op.type())) {
      throw new IllegalArgumentException("no gradient rules for " + op.type() + " ops");
    }
    registerOnce();
    RULES.computeIfAbsent(op.env(), g -> new HashMap<>()).put(op.name(), rule);
    return new Registration(op);
  }

  private static synchronized void forget(Operation op) {
    Map<String, Rule> rules = RULES.get(op.env());
    if (rules != null) {
      rules.remove(op.name());
      if (rules.isEmpty()) {
        RULES.remove(op.env());
      }
    }
  }

  private static void registerOnce() {
    if (registered) {
      return;
    }
    for (String type : TYPES) {
      if (!TensorFlow.registerCustomGradient(type, GradientRules::gradient)) {
        throw new IllegalStateException(
            "cannot register the gradients of reversible units: a gradient for TensorFlow's "
                + type
                + " op is already registered in this process");
      }
    }
    registered = true;
  }

  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> upstream) {
    Rule rule;
    synchronized (GradientRules.class) {
      Map<String, Rule> rules = RULES.get(op.env());
      rule = rules == null ? null : rules.get(op.name());
    }
    if (rule == null) {
      throw new UnsupportedOperationException(
          "no gradient for "
              + op.type()
              + " op '"
              + op.name()
              + "': of these, only the training sweeps of reversible units are differentiable");
    }
    return rule.apply(tf, upstream);
  }
}
