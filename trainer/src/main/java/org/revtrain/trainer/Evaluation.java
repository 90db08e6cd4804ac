package org.revtrain.trainer;

/**
 * A network's performance on a labelled set.
 *
 * @param loss mean softmax cross-entropy −log p(y | x) over the examples
 * @param accuracy fraction of examples whose largest logit is their label
 * @param examples number of examples evaluated
 */
public record Evaluation(double loss, double accuracy, int examples) {}
