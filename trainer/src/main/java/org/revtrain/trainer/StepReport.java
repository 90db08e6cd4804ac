package org.revtrain.trainer;

/**
 * A completed training step, as {@link TrainingListener}s see it.
 *
 * @param step steps completed, counting this one
 * @param totalSteps steps of the whole run
 * @param epoch epochs completed
 * @param loss this step's batch loss
 * @param accuracy this step's batch accuracy
 * @param meanLoss mean batch loss since the previous evaluation
 * @param meanAccuracy mean batch accuracy since the previous evaluation
 * @param learningRate this step's learning rate
 * @param imagesPerSecond training throughput of this step
 */
public record StepReport(
    long step,
    long totalSteps,
    double epoch,
    double loss,
    double accuracy,
    double meanLoss,
    double meanAccuracy,
    double learningRate,
    double imagesPerSecond) {}
