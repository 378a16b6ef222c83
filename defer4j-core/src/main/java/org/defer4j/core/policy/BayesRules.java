package org.defer4j.core.policy;

import org.defer4j.core.Checks;

/**
 * The Bayes-optimal deferral rules of the L2D survey, used as ground truth when the conditional
 * laws are known (synthetic data) and as plug-in rules when they are estimated.
 *
 * <ul>
 *   <li><b>General costs / two-stage</b> (survey §4.2, eq. 15): the rule that minimises {@code
 *       E[Σ_j c_j 1[r(x)=j] | x]} chooses {@code r*(x) = argmin_j E[c_j | x]}.
 *   <li><b>One-stage, single expert</b> (survey eq. 3, Mozannar &amp; Sontag 2020): predict {@code
 *       argmax_y P(y | x)}, but defer iff {@code E[c | x] ≤ 1 − max_y P(y | x)}; the conditional
 *       risk is then {@code min(1 − max_y P(y|x), E[c|x])}.
 * </ul>
 *
 * Ties go to the lowest index (argmin) and, in eq. 3, to deferral (the survey's ≤).
 */
public final class BayesRules {
  private BayesRules() {}

  /**
   * {@code argmin_j E[c_j | x]} for one x (lowest index on ties).
   *
   * @param expectedCosts E[c_j | x] for j = 0..A−1
   * @throws IllegalArgumentException when empty or when a value is NaN or infinite
   */
  public static int argminExpectedCost(double[] expectedCosts) {
    if (expectedCosts.length == 0) {
      throw new IllegalArgumentException("expected costs must not be empty");
    }
    Checks.checkAllFinite("expected costs", expectedCosts);
    int best = 0;
    for (int j = 1; j < expectedCosts.length; j++) {
      if (expectedCosts[j] < expectedCosts[best]) {
        best = j;
      }
    }
    return best;
  }

  /**
   * {@link #argminExpectedCost(double[])} for every row of a row-major n × A matrix.
   *
   * @param expectedCosts n × A values E[c_j | x_i]
   * @param agents A
   * @return n agent indices
   */
  public static int[] argminExpectedCost(double[] expectedCosts, int agents) {
    Checks.checkPositive("agents", agents);
    if (expectedCosts.length % agents != 0) {
      throw new IllegalArgumentException(
          "expected costs have length " + expectedCosts.length + ", not a multiple of " + agents);
    }
    Checks.checkAllFinite("expected costs", expectedCosts);
    int n = expectedCosts.length / agents;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int base = i * agents;
      int best = 0;
      for (int j = 1; j < agents; j++) {
        if (expectedCosts[base + j] < expectedCosts[base + best]) {
          best = j;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /**
   * Survey eq. 3: whether to defer x, i.e. {@code E[c | x] ≤ 1 − max_y P(y | x)}.
   *
   * @param classPosterior P(y | x) for y = 0..K−1 (a probability vector)
   * @param expectedDeferralCost E[c(x, Y) | x], e.g. the expert's error probability plus a fee
   * @throws IllegalArgumentException when the posterior is empty or not a probability vector, or
   *     the cost is negative or not finite
   */
  public static boolean defer(double[] classPosterior, double expectedDeferralCost) {
    Checks.checkNonNegative("expected deferral cost", expectedDeferralCost);
    double top = classPosterior[argmaxPosterior(classPosterior)];
    return expectedDeferralCost <= 1.0 - top;
  }

  /**
   * The one-stage Bayes action in the score-based layout: the index K (deferral, ⊥) when {@link
   * #defer} holds, else the most probable class (lowest index on ties).
   */
  public static int oneStage(double[] classPosterior, double expectedDeferralCost) {
    return defer(classPosterior, expectedDeferralCost)
        ? classPosterior.length
        : argmaxPosterior(classPosterior);
  }

  /**
   * The one-stage conditional Bayes risk {@code min(1 − max_y P(y|x), E[c|x])}: the expected eq. 1
   * loss of {@link #oneStage} at x.
   */
  public static double oneStageRisk(double[] classPosterior, double expectedDeferralCost) {
    Checks.checkNonNegative("expected deferral cost", expectedDeferralCost);
    double top = classPosterior[argmaxPosterior(classPosterior)];
    return Math.min(1.0 - top, expectedDeferralCost);
  }

  private static int argmaxPosterior(double[] p) {
    if (p.length == 0) {
      throw new IllegalArgumentException("class posterior must not be empty");
    }
    double sum = 0;
    int best = 0;
    for (int k = 0; k < p.length; k++) {
      Checks.checkProbability("P(y=" + k + " | x)", p[k]);
      sum += p[k];
      if (p[k] > p[best]) {
        best = k;
      }
    }
    if (Math.abs(sum - 1.0) > 1e-9) {
      throw new IllegalArgumentException("class posterior sums to " + sum + ", expected 1");
    }
    return best;
  }
}
