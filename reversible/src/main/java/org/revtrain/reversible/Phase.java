package org.revtrain.reversible;

/** Whether batch normalisation uses batch statistics (training) or running statistics. */
public enum Phase {
  TRAINING,
  INFERENCE
}
