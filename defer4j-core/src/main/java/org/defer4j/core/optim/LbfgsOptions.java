package org.defer4j.core.optim;

import org.defer4j.core.Checks;

/**
 * Options of {@link Lbfgs}.
 *
 * @param maxIterations iterations (line searches) at most, ≥ 1
 * @param gradientTolerance stop when ‖∇f‖_∞ ≤ this (absolute), ≥ 0
 * @param functionTolerance stop when an iteration decreases f by at most this times max(1, |f|); 0
 *     disables the test
 * @param historySize m, the number of curvature pairs kept, ≥ 1
 * @param maxEvaluationsPerSearch function evaluations one line search may use, ≥ 1
 * @param c1 sufficient-decrease (Armijo) constant, in (0, c2)
 * @param c2 curvature constant of the strong Wolfe conditions, in (c1, 1)
 */
public record LbfgsOptions(
    int maxIterations,
    double gradientTolerance,
    double functionTolerance,
    int historySize,
    int maxEvaluationsPerSearch,
    double c1,
    double c2) {

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public LbfgsOptions {
    Checks.checkPositive("max iterations", maxIterations);
    Checks.checkNonNegative("gradient tolerance", gradientTolerance);
    Checks.checkNonNegative("function tolerance", functionTolerance);
    Checks.checkPositive("history size", historySize);
    Checks.checkPositive("max evaluations per line search", maxEvaluationsPerSearch);
    if (!(c1 > 0 && c1 < c2 && c2 < 1)) {
      throw new IllegalArgumentException(
          "Wolfe constants need 0 < c1 < c2 < 1, got c1 = " + c1 + ", c2 = " + c2);
    }
  }

  /**
   * 1000 iterations, ‖∇f‖_∞ ≤ 1e−6, no function tolerance, m = 10, 25 evaluations per search, c1 =
   * 1e−4, c2 = 0.9 (Nocedal &amp; Wright's recommendation for quasi-Newton methods).
   */
  public static LbfgsOptions defaults() {
    return new LbfgsOptions(1000, 1e-6, 0, 10, 25, 1e-4, 0.9);
  }

  /** These options with at most {@code maxIterations} iterations. */
  public LbfgsOptions withMaxIterations(int maxIterations) {
    return new LbfgsOptions(
        maxIterations,
        gradientTolerance,
        functionTolerance,
        historySize,
        maxEvaluationsPerSearch,
        c1,
        c2);
  }

  /** These options with gradient tolerance {@code gradientTolerance}. */
  public LbfgsOptions withGradientTolerance(double gradientTolerance) {
    return new LbfgsOptions(
        maxIterations,
        gradientTolerance,
        functionTolerance,
        historySize,
        maxEvaluationsPerSearch,
        c1,
        c2);
  }

  /** These options with function tolerance {@code functionTolerance}. */
  public LbfgsOptions withFunctionTolerance(double functionTolerance) {
    return new LbfgsOptions(
        maxIterations,
        gradientTolerance,
        functionTolerance,
        historySize,
        maxEvaluationsPerSearch,
        c1,
        c2);
  }

  /** These options with history size {@code historySize}. */
  public LbfgsOptions withHistorySize(int historySize) {
    return new LbfgsOptions(
        maxIterations,
        gradientTolerance,
        functionTolerance,
        historySize,
        maxEvaluationsPerSearch,
        c1,
        c2);
  }
}
