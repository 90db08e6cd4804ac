package org.revtrain.models;

import java.util.ArrayList;
import java.util.List;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.ndarray.Shape;

/**
 * The parameters of a network of a {@link ModelSpec}, part by part — one source for the {@link
 * Network}'s variables and for the counts {@link Models#describe} lists:
 *
 * <pre>
 *   stem:   3x3 conv C_in → F_0 (no bias), BN γ, β              9·C_in·F_0 + 2·F_0
 *   unit u: blocks(u) × (the kind's block parameters at C_u)   C_u = F_{u+1}, or F_{u+1}/2 for
 *                                                              channel-halves kinds
 *   head:   BN γ, β; fully connected F_last → classes, bias   2·F_last + F_last·classes + classes
 * </pre>
 *
 * Transitions (2x2 average pooling, zero-padded channels) have no parameters. BN running statistics
 * are variables but not trainable.
 */
final class Architecture {
  private Architecture() {}

  /** The stem's parameters, named {@code stem.K} and {@code stem.bn.*}. */
  static List<ParameterSpec> stem(int inputChannels, int filters) {
    List<ParameterSpec> ps = new ArrayList<>();
    ps.add(ParameterSpec.kernel("stem.K", inputChannels, filters));
    ps.addAll(ParameterSpec.batchNorm("stem.bn", filters));
    return ps;
  }

  /** The head's parameters, named {@code head.bn.*}, {@code head.W}, {@code head.b}. */
  static List<ParameterSpec> head(int filters, int classes) {
    List<ParameterSpec> ps = new ArrayList<>(ParameterSpec.batchNorm("head.bn", filters));
    ps.add(ParameterSpec.weight("head.W", Shape.of(filters, classes)));
    ps.add(ParameterSpec.bias("head.b", classes));
    return ps;
  }

  /** Channels of each state tensor in unit {@code u}. */
  static int stateChannels(ModelSpec spec, int u) {
    return spec.kind().layout().stateChannels(spec.filters(u + 1), spec.kind().id());
  }

  /** Number of trainable scalars of the network. */
  static long trainableParameters(ModelSpec spec, int inputChannels, int classes) {
    long n = trainable(stem(inputChannels, spec.filters(0)));
    for (int u = 0; u < spec.units(); u++) {
      n +=
          spec.blocks(u)
              * trainable(spec.kind().parameters(spec.batchNorm(), stateChannels(spec, u)));
    }
    return n + trainable(head(spec.filters(spec.units()), classes));
  }

  private static long trainable(List<ParameterSpec> ps) {
    return ps.stream().filter(ParameterSpec::trainable).mapToLong(p -> p.shape().size()).sum();
  }
}
