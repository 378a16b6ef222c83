package org.defer4j.core.train;

/** Receives progress of a fit, e.g. to draw a progress bar. Called on the fitting thread. */
public interface TrainingListener {
  /** No-op listener. */
  TrainingListener NONE = new TrainingListener() {};

  /** Called once before the first epoch with the number of epochs and batches per epoch. */
  default void onStart(int epochs, int batchesPerEpoch) {}

  /** Called after each minibatch (or L-BFGS iteration) with its loss. */
  default void onBatch(int epoch, int batch, double loss) {}

  /** Called after each epoch with the mean training loss and the validation result. */
  default void onEpoch(EpochLog log) {}
}
