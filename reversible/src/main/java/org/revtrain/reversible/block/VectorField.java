package org.revtrain.reversible.block;

import java.util.List;
import org.revtrain.reversible.BlockContext;
import org.revtrain.reversible.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/** The right-hand side F_j(Y) of the ODE that a block discretises. */
public interface VectorField {

  /** Parameters of F for a state of {@code channels} channels. */
  List<ParameterSpec> parameters(int channels);

  /** F(Y). */
  <T extends TFloating> Operand<T> apply(BlockContext<T> context, Operand<T> y);
}
