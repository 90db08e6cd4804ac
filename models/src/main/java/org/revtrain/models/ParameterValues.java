package org.revtrain.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revtrain.reversible.ResourceVariable;
import org.revtrain.reversible.measure.TensorValues;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * A network's variables (trainable parameters and batch-norm running statistics) as host arrays,
 * row-major, by {@link NetworkParameter#name}: read from one session, written into another
 * network's. Each call adds its few ops to the network's graph; meant for occasional transfers, not
 * for every step.
 */
public final class ParameterValues {
  private ParameterValues() {}

  /**
   * The values of all of {@code network}'s variables in {@code session}.
   *
   * @param <T> the network's element type
   * @param tf ops of the session's graph
   * @param session a session of the network's graph
   * @param network the network
   * @return every variable's values, row-major, by name
   */
  public static <T extends TFloating> Map<String, double[]> read(
      Ops tf, Session session, Network<T> network) {
    List<String> names = new ArrayList<>(network.parameters().keySet());
    Session.Runner run = session.runner();
    names.forEach(n -> run.fetch(network.parameters().get(n).variable().read(tf)));
    Map<String, double[]> values = new LinkedHashMap<>();
    try (Result fetched = run.run()) {
      for (int i = 0; i < names.size(); i++) {
        values.put(names.get(i), TensorValues.doubles(fetched.get(i)));
      }
    }
    return values;
  }

  /**
   * Assigns every variable of {@code network} its value from {@code values}, rounded to the
   * network's type.
   *
   * @param <T> the network's element type
   * @param tf ops of the session's graph
   * @param session a session of the network's graph
   * @param network the network
   * @param values the values by variable name, row-major
   * @throws IllegalArgumentException if a variable has no value or a value of another size, naming
   *     the variable
   */
  public static <T extends TFloating> void write(
      Ops tf, Session session, Network<T> network, Map<String, double[]> values) {
    Map<String, ResourceVariable<T>> variables = new LinkedHashMap<>();
    network.parameters().forEach((name, p) -> variables.put(name, p.variable()));
    write(tf, session, variables, values);
  }

  /**
   * Assigns every variable of {@code variables} its value from {@code values} (by the same name),
   * rounded to the variable's type.
   *
   * @param <T> the variables' element type
   * @param tf ops of the session's graph
   * @param session a session of the variables' graph
   * @param variables the variables by name
   * @param values the values by the same names, row-major
   * @throws IllegalArgumentException if a variable has no value or a value of another size, naming
   *     the variable
   */
  public static <T extends TFloating> void write(
      Ops tf,
      Session session,
      Map<String, ResourceVariable<T>> variables,
      Map<String, double[]> values) {
    Session.Runner run = session.runner();
    List<Tensor> fed = new ArrayList<>();
    try {
      for (Map.Entry<String, ResourceVariable<T>> e : variables.entrySet()) {
        ResourceVariable<T> variable = e.getValue();
        Shape shape = variable.shape();
        double[] v = values.get(e.getKey());
        if (v == null || v.length != shape.size()) {
          throw new IllegalArgumentException(
              e.getKey()
                  + ": needs "
                  + shape.size()
                  + " values "
                  + shape
                  + ", got "
                  + (v == null ? "none" : Integer.toString(v.length)));
        }
        Placeholder<T> in = tf.placeholder(variable.type(), Placeholder.shape(shape));
        Tensor t = tensor(variable.type(), shape, v);
        fed.add(t);
        run.feed(in, t);
        run.addTarget(variable.assign(tf, in));
      }
      run.run().close();
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  private static Tensor tensor(Class<? extends TFloating> type, Shape shape, double[] v) {
    if (type == TFloat64.class) {
      return TFloat64.tensorOf(shape, DataBuffers.of(v, true, false));
    }
    if (type != TFloat32.class) {
      throw new IllegalArgumentException(
          "variables of " + type.getSimpleName() + " are not supported");
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
  }
}
