package org.revtrain.models;

import java.util.List;
import org.revtrain.reversible.State;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TType;

/** How a block kind's two-tensor state relates to a network's single feature tensor. */
public enum StateLayout {
  /** (Y, Z) are the two channel halves of the features X = [Y, Z]: channels must be even. */
  CHANNEL_HALVES,
  /** (Y_{j-1}, Y_j) are two time levels of the features; entering sets Y_{-1} = Y_0 = X. */
  TIME_LEVELS;

  /**
   * Channels of each state tensor for features of {@code channels} channels.
   *
   * @param channels the features' channels
   * @param kind the block kind's name, for the message if they cannot be split
   * @return the channels of each state tensor
   */
  public int stateChannels(int channels, String kind) {
    if (this == CHANNEL_HALVES && channels % 2 != 0) {
      throw new IllegalArgumentException(
          kind
              + " blocks split the features into two channel halves: the channel count must be"
              + " even, got "
              + channels);
    }
    return this == CHANNEL_HALVES ? channels / 2 : channels;
  }

  /**
   * Features [N, H, W, C] to a state.
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param x the features [N, H, W, C]
   * @param kind the block kind's name, for messages
   * @return the state
   */
  public <T extends TType> State<T> enter(Ops tf, Operand<T> x, String kind) {
    Shape s = x.shape();
    if (s.numDimensions() != 4 || s.isUnknown() || s.size(3) == Shape.UNKNOWN_SIZE) {
      throw new IllegalArgumentException(
          kind + " blocks need [N, H, W, C] features with known C, got " + s);
    }
    if (this == TIME_LEVELS) {
      // two distinct tensors, so that each can take its own gradient
      return new State<>(tf.identity(x), tf.identity(x));
    }
    long half = stateChannels((int) s.size(3), kind);
    List<Operand<T>> parts = List.copyOf(tf.split(tf.constant(3), x, 2L).output());
    if (parts.get(0).shape().size(3) != half) {
      throw new IllegalStateException("channel split gave " + parts.get(0).shape());
    }
    return new State<>(parts.get(0), parts.get(1));
  }

  /**
   * A state back to features: the concatenated halves, or the latest time level Y_j.
   *
   * @param <T> element type
   * @param tf ops of the graph to build in
   * @param state the state
   * @return the features [N, H, W, C]
   */
  public <T extends TType> Operand<T> exit(Ops tf, State<T> state) {
    if (this == TIME_LEVELS) {
      return state.b();
    }
    return tf.concat(List.of(state.a(), state.b()), tf.constant(3));
  }
}
