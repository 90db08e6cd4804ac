package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * A functional while loop {@code for (i = 0; i < count; i++) vars = body(i, vars)} over the
 * variables of a {@link LoopState}, whose body is built once, as a function, whatever the count:
 * the graph does not grow with depth. Iterations run one at a time ({@code parallel_iterations =
 * 1}), lowered into the graph, so that no iteration runs ahead and keeps its tensors alive.
 *
 * <p>A loop is built in two stages: its {@link Functions} (the condition and the body, built from
 * the variables' types and shapes and attached to the graph), then the loop op, which only names
 * them. The stages can be apart: inside a TensorFlow gradient function the graph is locked, and
 * neither shapes nor functions can be added to it, only ops ({@link GradientRules}).
 */
final class WhileLoop {

  /** The loop body, built once in the body function's own graph. */
  @FunctionalInterface
  interface Body {
    /**
     * Reads the loop variables from {@code frame} and sets every carried one.
     *
     * @param tf ops of the function graph
     * @param graph the function graph, e.g. for {@link Graph#addGradients}
     * @param counter the iteration index i
     * @param frame this iteration's variables, as placeholders of the function graph
     */
    void apply(Ops tf, Graph graph, Operand<TInt32> counter, LoopState.Frame frame);
  }

  /**
   * A loop's condition and body functions, attached to the graph they were defined for. Owns the
   * two {@link ConcreteFunction}s.
   */
  static final class Functions implements AutoCloseable {
    private final ConcreteFunction cond;
    private final ConcreteFunction body;
    private final List<DataType> types;

    private Functions(ConcreteFunction cond, ConcreteFunction body, List<DataType> types) {
      this.cond = cond;
      this.body = body;
      this.types = types;
    }

    /**
     * Builds the functions of {@code count} iterations of {@code bodyBuilder} over {@code state}'s
     * variables (typed and shaped as their initial values) and attaches them to {@code tf}'s graph.
     */
    static Functions define(Ops tf, int count, LoopState state, Body bodyBuilder) {
      HandleTypes.register();
      List<Operand<?>> initial = state.initial();
      ConcreteFunction cond =
          ConcreteFunction.create(
              ftf -> {
                List<Operand<?>> vars = placeholders(ftf, initial);
                @SuppressWarnings("unchecked")
                Operand<TInt32> i = (Operand<TInt32>) vars.get(0);
                Operand<TBool> more = ftf.math.less(i, ftf.constant(count));
                return signature(vars, List.of(more));
              });
      ConcreteFunction body =
          ConcreteFunction.create(
              ftf -> {
                List<Operand<?>> vars = placeholders(ftf, initial);
                @SuppressWarnings("unchecked")
                Operand<TInt32> i = (Operand<TInt32>) vars.get(0);
                LoopState.Frame frame = state.new Frame(vars.subList(1, vars.size()));
                bodyBuilder.apply(ftf, (Graph) ftf.scope().env(), i, frame);
                List<Operand<?>> next = frame.next();
                List<Operand<?>> out = new ArrayList<>();
                out.add(ftf.math.add(i, ftf.constant(1)));
                for (Operand<?> v : next) {
                  out.add(ftf.identity(v));
                }
                return signature(vars, out);
              });
      Graph graph = (Graph) tf.scope().env();
      graph.attachFunction(cond);
      graph.attachFunction(body);
      return new Functions(cond, body, types(initial));
    }

    @Override
    public void close() {
      cond.close();
      body.close();
    }
  }

  private final Operation op;
  private final LoopState state;
  private final LoopState.Outputs outputs;

  /**
   * Builds the loop op in {@code tf}'s graph, from {@code state}'s initial values, running {@code
   * functions}, which must have been defined over variables of the same types in the same order.
   * Asks the graph nothing (no shapes, no functions).
   */
  WhileLoop(Ops tf, Functions functions, LoopState state) {
    List<Operand<?>> initial = state.initial();
    if (!types(initial).equals(functions.types)) {
      throw new IllegalArgumentException(
          "loop variables " + types(initial) + " do not match the loop's " + functions.types);
    }
    List<Operand<?>> inputs = new ArrayList<>();
    inputs.add(tf.constant(0));
    inputs.addAll(initial);
    // Built by hand for the attribute TensorFlow Java cannot set: _lower_using_switch_merge makes
    // the runtime lower the loop into the graph (Switch/Merge/NextIteration), as while_v2 does.
    // Without it the loop runs as one opaque kernel: slower, and invisible to step statistics.
    boolean stateful = functions.cond.isStateful() || functions.body.isStateful();
    OperationBuilder b = tf.scope().opBuilder(stateful ? "While" : "StatelessWhile", "While");
    b.addInputList(inputs.stream().map(Operand::asOutput).toArray(Output<?>[]::new));
    b.setAttr("cond", named(functions.cond));
    b.setAttr("body", named(functions.body));
    b.setAttr("parallel_iterations", 1L);
    b.setAttr("_lower_using_switch_merge", true);
    this.op = b.build();
    this.state = state;
    List<Output<?>> all = new ArrayList<>();
    for (int k = 1; k < inputs.size(); k++) {
      all.add(op.output(k));
    }
    this.outputs = state.new Outputs(List.copyOf(all));
  }

  /** The loop variables after the last iteration. */
  LoopState.Outputs outputs() {
    return outputs;
  }

  /** The loop's op ({@code While} or {@code StatelessWhile}). */
  Operation op() {
    return op;
  }

  /** Position of {@code slot} among the loop op's inputs and outputs (the counter is first). */
  int position(LoopState.Slot<?> slot) {
    return 1 + state.index(slot);
  }

  /** A function-valued attribute naming an attached function (attaching needs the graph's lock). */
  private static AttrValue named(ConcreteFunction f) {
    return AttrValue.newBuilder()
        .setFunc(NameAttrList.newBuilder().setName(f.getDefinedName()))
        .build();
  }

  private static List<DataType> types(List<Operand<?>> values) {
    return values.stream().map(v -> v.asOutput().dataType()).toList();
  }

  private static List<Operand<?>> placeholders(Ops ftf, List<Operand<?>> initial) {
    List<Operand<?>> vars = new ArrayList<>();
    vars.add(ftf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar())));
    for (Operand<?> v : initial) {
      vars.add(placeholderLike(ftf, v));
    }
    return vars;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Operand<?> placeholderLike(Ops ftf, Operand<?> v) {
    Output<?> out = v.asOutput();
    DataType raw = out.dataType();
    if (raw == DataType.DT_VARIANT || raw == DataType.DT_RESOURCE) {
      // TensorList and variable handles: types TensorFlow Java has no placeholder class for.
      Graph g = (Graph) ftf.scope().env();
      return g.opBuilder("Placeholder", ftf.scope().makeOpName("HandlePlaceholder"), ftf.scope())
          .setAttr("dtype", raw)
          .setAttr("shape", Shape.scalar())
          .build()
          .output(0);
    }
    Class<? extends TType> type = out.type();
    return ftf.placeholder((Class) type, Placeholder.shape(out.shape()));
  }

  private static Signature signature(List<Operand<?>> in, List<Operand<?>> out) {
    Signature.Builder b = Signature.builder();
    for (int k = 0; k < in.size(); k++) {
      b.input("in" + k, in.get(k));
    }
    for (int k = 0; k < out.size(); k++) {
      b.output("out" + k, out.get(k));
    }
    return b.build();
  }
}
