package org.revtrain.reversible;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.family.TFloating;

/**
 * The result of a unit's backward pass.
 *
 * @param input gradient with respect to the unit's input state
 * @param parameters gradient of every trainable stacked parameter, keyed by its name, shape [n,
 *     ...]
 * @param reconstructionError relative error ‖x̂ − x‖ / ‖x‖ between the reconstructed and the true
 *     input of the unit (REVERSIBLE), the largest such error at a checkpoint (CHECKPOINT), or 0
 *     (STORED)
 * @param done an op that completes when the whole backward pass has run, and with it every fused
 *     {@link BlockUpdate} the pass was given: run it as a target of each training step (a fused
 *     update happens inside the backward loop, so fetching only the loss, or nothing downstream of
 *     the gradients, trains nothing)
 */
public record UnitGradients<T extends TFloating>(
    State<T> input, Map<String, Operand<T>> parameters, Operand<T> reconstructionError, Op done) {}
