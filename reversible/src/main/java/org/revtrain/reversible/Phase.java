package org.revtrain.reversible;

/** Whether batch normalisation uses batch statistics (training) or running statistics. */
public enum Phase {
  /** Batch statistics; a training sweep also records them and prepares the backward pass. */
  TRAINING,
  /** Running statistics; nothing kept for a backward pass. */
  INFERENCE
}
