package org.defer4j.core.train;

import org.defer4j.core.model.Scorer;

/**
 * Scores a fitted scorer on held-out data: the target loss (mean system cost, lower is better)
 * drives early stopping; accuracy is shown to the user.
 */
@FunctionalInterface
public interface Validation {
  /** The validation result of the scorer's current parameters. */
  Result evaluate(Scorer scorer);

  /**
   * @param cost the mean system cost (the target deferral loss) on the validation rows
   * @param accuracy the system accuracy there, NaN when undefined
   */
  record Result(double cost, double accuracy) {}
}
