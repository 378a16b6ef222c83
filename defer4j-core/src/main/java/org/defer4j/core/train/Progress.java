package org.defer4j.core.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a fit to a caller's {@link TrainingListener} (and each epoch at DEBUG): the last listener
 * the fitter runs, so that {@link EpochLog#improved()} reflects early stopping's decision.
 */
final class Progress implements FitListener {
  private static final Logger LOG = LoggerFactory.getLogger(ScorerFitter.class);

  private final TrainingListener listener;

  Progress(TrainingListener listener) {
    this.listener = listener;
  }

  @Override
  public void onStart(FitState fit) {
    listener.onStart(fit.maxEpochs(), fit.batchesPerEpoch());
  }

  @Override
  public void onBatch(FitState fit) {
    listener.onBatch(fit.epoch(), fit.batch(), fit.batchLoss());
  }

  @Override
  public void onEpoch(FitState fit) {
    EpochLog log = fit.epochLog();
    listener.onEpoch(log);
    LOG.debug("epoch {}: loss {} validation {}", log.epoch(), log.trainLoss(), log.validation());
  }
}
