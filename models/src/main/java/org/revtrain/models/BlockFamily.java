package org.revtrain.models;

import java.util.List;
import java.util.function.Function;
import org.revtrain.models.block.ExplicitBlock;
import org.revtrain.reversible.GradientMode;
import org.revtrain.reversible.ParameterSpec;
import org.revtrain.reversible.ReversibleBlock;
import org.revtrain.reversible.ReversibleUnit;
import org.revtrain.reversible.StateLayout;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * How the units of a {@link BlockKind} are built: from reversible blocks on the engine (every
 * gradient mode), or from explicit blocks, unrolled (STORED only).
 */
sealed interface BlockFamily permits BlockFamily.Invertible, BlockFamily.Explicit {

  StateLayout layout();

  /** The class of the kind's blocks: kinds with the same one build the same step. */
  Class<?> step();

  int convLayers();

  /** Parameters of one block, state tensors of {@code channels} channels. */
  List<ParameterSpec> parameters(boolean batchNorm, int channels);

  boolean supports(GradientMode mode);

  /** The modes {@link #supports} accepts, as the command line spells them. */
  String modes();

  <T extends TFloating> Unit<T> unit(Ops tf, Class<T> dtype, UnitConfig config);

  /** Reversible blocks, run by {@link ReversibleUnit}. */
  record Invertible(Function<Boolean, ReversibleBlock> blocks) implements BlockFamily {
    @Override
    public StateLayout layout() {
      return blocks.apply(false).layout();
    }

    @Override
    public Class<?> step() {
      return blocks.apply(false).getClass();
    }

    @Override
    public int convLayers() {
      return blocks.apply(false).convLayers();
    }

    @Override
    public List<ParameterSpec> parameters(boolean batchNorm, int channels) {
      return blocks.apply(batchNorm).parameters(channels);
    }

    @Override
    public boolean supports(GradientMode mode) {
      return true;
    }

    @Override
    public String modes() {
      return "stored, reversible, checkpoint:K";
    }

    @Override
    public <T extends TFloating> Unit<T> unit(Ops tf, Class<T> dtype, UnitConfig c) {
      ReversibleUnit.Builder b =
          ReversibleUnit.builder(blocks.apply(c.batchNorm()))
              .name(c.name())
              .blocks(c.blocks())
              .channels(c.channels())
              .stepSizes(c.stepSizes())
              .mode(c.mode())
              .seed(c.seed());
      if (c.float64State()) {
        b.stateType(TFloat64.class);
      }
      return new EngineUnit<>(b.build(tf, dtype));
    }
  }

  /** Explicit, non-invertible blocks, unrolled by {@link UnrolledUnit}. */
  record Explicit(Function<Boolean, ExplicitBlock> blocks) implements BlockFamily {
    @Override
    public StateLayout layout() {
      return blocks.apply(false).layout();
    }

    @Override
    public Class<?> step() {
      return blocks.apply(false).getClass();
    }

    @Override
    public int convLayers() {
      return blocks.apply(false).convLayers();
    }

    @Override
    public List<ParameterSpec> parameters(boolean batchNorm, int channels) {
      return blocks.apply(batchNorm).parameters(channels);
    }

    @Override
    public boolean supports(GradientMode mode) {
      return mode instanceof GradientMode.Stored;
    }

    @Override
    public String modes() {
      return "stored";
    }

    @Override
    public <T extends TFloating> Unit<T> unit(Ops tf, Class<T> dtype, UnitConfig c) {
      return new UnrolledUnit<>(blocks.apply(c.batchNorm()), c, tf, dtype);
    }
  }
}
