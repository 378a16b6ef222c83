package org.defer4j.core.task;

import org.defer4j.core.Checks;

/**
 * The weights of an agent's error (the {@code cost:} block of a task spec): error = λ_cls·[class
 * wrong] + λ_reg·min(ℓ_reg(prediction, t), clip).
 *
 * @param classification λ_cls ≥ 0
 * @param regression λ_reg ≥ 0
 * @param regressionLoss ℓ_reg
 * @param clip upper bound on ℓ_reg, {@code +∞} for none
 */
public record CostWeights(
    double classification, double regression, RegressionLoss regressionLoss, double clip) {

  /** Validates the weights. */
  public CostWeights {
    Checks.checkNonNegative("cost.classification", classification);
    Checks.checkNonNegative("cost.regression", regression);
    if (regressionLoss == null) {
      throw new IllegalArgumentException("cost.regression_loss must be given");
    }
    if (!(clip > 0)) {
      throw new IllegalArgumentException("cost.clip must be > 0, got " + clip);
    }
  }

  /**
   * The defaults for a task kind (DESIGN.md §4): λ_cls = 1 where labels exist, λ_reg = 1 for
   * regression.
   */
  public static CostWeights defaults(TaskKind kind) {
    return new CostWeights(
        kind.hasLabels() ? 1.0 : 0.0,
        kind == TaskKind.REGRESSION ? 1.0 : 0.0,
        RegressionLoss.SMOOTH_L1,
        Double.POSITIVE_INFINITY);
  }

  /** The clipped regression loss of a prediction. */
  public double regressionError(double prediction, double target) {
    return Math.min(regressionLoss.apply(prediction, target), clip);
  }
}
