package org.revtrain.reversible;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The save and restore ops of a graph's {@link StackedVariable}s, named as TensorFlow Java's {@code
 * Session.save}, {@code Session.restore} and SavedModel export look for them ({@code
 * save/filename}, {@code save/control_dependency}, {@code save/restore_all}). TensorFlow Java 1.0.0
 * builds such ops itself only when the graph has none, and then over its reference variables alone:
 * a unit's resource variables (its weights by default, its running statistics always) would be left
 * out. These are the same {@code SaveV2} and {@code RestoreV2} ops over every variable given,
 * resource or reference, so a checkpoint's keys are the variables' names:
 *
 * <pre>{@code
 * VariableSaver.addTo(tf, variables); // the unit's (unit.variables()) and your layers'
 * session.save("/path/model");        // writes /path/model.index and .data-*
 * session.restore("/path/model");     // in a session of the same graph
 * }</pre>
 */
public final class VariableSaver {

  private VariableSaver() {}

  /**
   * Adds the ops for {@code variables} to {@code tf}'s graph: then {@code Session.save} and {@code
   * Session.restore} save and restore exactly these. Call once per graph, after every variable
   * exists and before the first save, restore or export; give every variable of the graph to keep.
   *
   * @param tf ops of the graph
   * @param variables every variable to save and restore, by its name
   * @throws IllegalArgumentException if {@code variables} is empty
   * @throws IllegalStateException if the graph already has save and restore ops
   */
  public static void addTo(Ops tf, List<? extends StackedVariable<?>> variables) {
    if (variables.isEmpty()) {
      throw new IllegalArgumentException("no variables to save");
    }
    Graph graph = (Graph) tf.scope().env();
    if (graph.operation("save/restore_all") != null) {
      throw new IllegalStateException("the graph already has save and restore ops");
    }
    Ops save = tf.withSubScope("save");
    Placeholder<TString> filename = save.withName("filename").placeholder(TString.class);
    String[] names = variables.stream().map(StackedVariable::name).toArray(String[]::new);
    Operand<TString> keys = save.constant(StdArrays.ndCopyOf(names));
    Operand<TString> slices = save.zerosLike(keys);

    List<Operand<?>> values = new ArrayList<>();
    for (StackedVariable<?> v : variables) {
      values.add(v.read(save));
    }
    Op written = save.train.save(filename, keys, slices, values);
    save.withControlDependencies(List.of(written))
        .withName("control_dependency")
        .identity(filename);

    List<Class<? extends TType>> types = new ArrayList<>();
    variables.forEach(v -> types.add(v.type()));
    Restore restored = save.train.restore(filename, keys, slices, types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      assigns.add(assign(save, variables.get(i), restored.tensors().get(i)));
    }
    save.withControlDependencies(assigns).withName("restore_all").noOp();
  }

  @SuppressWarnings("unchecked")
  private static <T extends TType> Op assign(Ops tf, StackedVariable<T> v, Operand<?> value) {
    return v.assign(tf, (Operand<T>) value);
  }
}
