package org.defer4j.core.train;

/**
 * One epoch of a fit.
 *
 * @param epoch 1-based epoch
 * @param trainLoss mean surrogate loss (plus penalty) over the epoch's minibatches
 * @param validation the validation result after the epoch, or null without validation
 * @param improved whether this epoch gave the best validation cost so far
 */
public record EpochLog(
    int epoch, double trainLoss, Validation.Result validation, boolean improved) {}
