package org.revtrain.models;

import java.util.List;
import java.util.function.Function;
import org.revtrain.reversible.Block;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.ReversibleBlock;
import org.revtrain.reversible.ReversibleUnit;
import org.revtrain.reversible.ReversibleUnitBuilder;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * How the blocks of a {@link BlockKind} are made and how they sit in a network: their state layout
 * and convolution layers per block. Reversible blocks train in every gradient mode, explicit ones
 * in STORED only; both run on the engine's {@link ReversibleUnit}.
 *
 * @param blocks a block, with or without batch normalisation
 * @param layout how the blocks' two-tensor state relates to the features
 * @param convLayers convolution layers per block, for the convention depth = layers·blocks + 2
 */
record BlockFamily(Function<Boolean, ? extends Block> blocks, StateLayout layout, int convLayers) {

  /** A block, with or without batch normalisation. */
  Block block(boolean batchNorm) {
    return blocks.apply(batchNorm);
  }

  /** Whether the blocks can be inverted, so that a unit of them can reconstruct. */
  boolean reversible() {
    return block(false) instanceof ReversibleBlock;
  }

  /** The class of the kind's blocks: kinds with the same one build the same step. */
  Class<?> step() {
    return block(false).getClass();
  }

  /** Parameters of one block, state tensors of {@code channels} channels. */
  List<ParameterSpec> parameters(boolean batchNorm, int channels) {
    return block(batchNorm).parameters(channels);
  }

  boolean supports(GradientMode mode) {
    return reversible() || mode instanceof GradientMode.Stored;
  }

  /** The modes {@link #supports} accepts, as the command line spells them. */
  String modes() {
    return reversible() ? "stored, reversible, checkpoint:K" : "stored";
  }

  /**
   * One unit of these blocks, its variables in {@code tf}'s graph. Explicit blocks carry their
   * state in the network's own type, whatever {@link UnitConfig#float64State} says.
   */
  <T extends TFloating> ReversibleUnit<T> unit(Ops tf, Class<T> dtype, UnitConfig c) {
    ReversibleUnitBuilder b =
        ReversibleUnit.builder(block(c.batchNorm()))
            .name(c.name())
            .blocks(c.blocks())
            .channels(c.channels())
            .stepSizes(c.stepSizes())
            .mode(c.mode())
            .seed(c.seed());
    if (c.float64State() && reversible()) {
      b.stateType(TFloat64.class);
    }
    if (c.fieldType() != null) {
      b.fieldType(c.fieldType());
    }
    return b.build(tf, dtype);
  }
}
