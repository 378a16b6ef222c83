package org.defer4j.core.train;

import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * A trainer is configuration plus an algorithm; {@link #fit} returns an immutable fitted model that
 * carries its feature pipeline and provenance (Tribuo's Trainer/Model split). Deferral trainers
 * return a {@link org.defer4j.core.policy.LearnedPolicy}; the stage-one trainer returns the model
 * that two-stage deferral then freezes.
 *
 * @param <M> what the trainer fits
 */
public interface Trainer<M> {

  /**
   * Fits a model.
   *
   * @param task the task
   * @param train training rows
   * @param validation validation rows for early stopping and tuning, or null; never a test table
   * @param listener progress receiver
   */
  M fit(TaskSpec task, DeferralTable train, DeferralTable validation, TrainingListener listener);
}
