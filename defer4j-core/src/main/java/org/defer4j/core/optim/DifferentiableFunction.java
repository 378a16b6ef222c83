package org.defer4j.core.optim;

/**
 * A smooth objective f : ℝⁿ → ℝ that returns its value and writes its gradient in one call (the two
 * share most of the work for every loss in defer4j).
 */
@FunctionalInterface
public interface DifferentiableFunction {
  /**
   * Returns f(x) and overwrites {@code gradOut[0..n)} with ∇f(x). Must not modify or retain {@code
   * x}. May return {@code +∞} where f is undefined or overflows (the line search backs off); NaN is
   * an error.
   */
  double valueAndGradient(double[] x, double[] gradOut);
}
