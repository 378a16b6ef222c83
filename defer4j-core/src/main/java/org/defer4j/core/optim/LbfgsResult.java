package org.defer4j.core.optim;

import java.util.Arrays;

/**
 * The outcome of an {@link Lbfgs} run.
 *
 * @param x the final point (copied in and out): the best point found
 * @param value f(x)
 * @param gradientNorm ‖∇f(x)‖_∞
 * @param iterations completed iterations (accepted line searches)
 * @param evaluations calls to the objective
 * @param reason why the run stopped
 */
public record LbfgsResult(
    double[] x,
    double value,
    double gradientNorm,
    int iterations,
    int evaluations,
    Termination reason) {

  /** Why an L-BFGS run stopped. */
  public enum Termination {
    /** ‖∇f‖_∞ reached the gradient tolerance: converged. */
    GRADIENT_TOLERANCE,
    /** An iteration decreased f by less than the function tolerance: converged. */
    FUNCTION_TOLERANCE,
    /** The iteration budget ran out before a tolerance was met. */
    MAX_ITERATIONS,
    /**
     * No step along the search direction decreased f enough, even along steepest descent; usually f
     * is at its floating-point floor, or the gradient does not match the function.
     */
    LINE_SEARCH_FAILED
  }

  /** Copies {@code x}. */
  public LbfgsResult {
    x = x.clone();
  }

  /** The final point (a copy). */
  @Override
  public double[] x() {
    return x.clone();
  }

  /** Whether a tolerance was met. */
  public boolean converged() {
    return reason == Termination.GRADIENT_TOLERANCE || reason == Termination.FUNCTION_TOLERANCE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LbfgsResult r
        && Arrays.equals(x, r.x)
        && Double.compare(value, r.value) == 0
        && Double.compare(gradientNorm, r.gradientNorm) == 0
        && iterations == r.iterations
        && evaluations == r.evaluations
        && reason == r.reason;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(x) * 31 + reason.hashCode() + 7 * iterations;
  }

  @Override
  public String toString() {
    return "LbfgsResult[value="
        + value
        + ", gradientNorm="
        + gradientNorm
        + ", iterations="
        + iterations
        + ", evaluations="
        + evaluations
        + ", reason="
        + reason
        + ", n="
        + x.length
        + "]";
  }
}
