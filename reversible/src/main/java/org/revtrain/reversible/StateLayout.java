package org.revtrain.reversible;

/** How a block kind's two-tensor state relates to a network's single feature tensor. */
public enum StateLayout {
  /** (Y, Z) are the two channel halves of the features: channels must be even. */
  CHANNEL_HALVES,
  /** (Y_{j-1}, Y_j) are two time levels of the full features. */
  TIME_LEVELS
}
