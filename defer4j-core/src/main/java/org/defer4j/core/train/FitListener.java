package org.defer4j.core.train;

/**
 * A hook into {@link ScorerFitter}'s one training loop (the shape of DJL's {@code
 * TrainingListener}): early stopping, the divergence check and progress reporting are listeners of
 * the loop rather than code inside it, and a trainer that needs something more adds a listener, not
 * a copy of the loop. Every method sees the fit's {@link FitState} and may read it, keep the
 * current parameters ({@link FitState#keep()}), ask the fit to stop ({@link FitState#stop()}) or
 * throw to abort it.
 *
 * <p>The fitter calls its listeners in order: the divergence check, early stopping, the listeners
 * added with {@link ScorerFitter#withListener}, then the caller's {@link TrainingListener}. Called
 * on the fitting thread.
 */
public interface FitListener {
  /** Before the first batch. */
  default void onStart(FitState fit) {}

  /**
   * After a batch's loss and parameter gradient (penalty and trainable mask applied) are known,
   * before the optimiser steps; for L-BFGS, after every objective evaluation.
   */
  default void onBatch(FitState fit) {}

  /** After an epoch (for L-BFGS: after the run) and its validation. */
  default void onEpoch(FitState fit) {}
}
