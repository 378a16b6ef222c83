package org.defer4j.core.loss;

import org.defer4j.core.math.StableMath;

/**
 * The sigmoid cross-entropy of a binary outcome, the loss of a logistic-regression classifier of
 * "the event happened" (for the compare-confidence baseline: "expert j is correct", Raghu et al.
 * 2019):
 *
 * <pre>
 *   ℓ(s, e) = −e·log σ(s) − (1 − e)·log(1 − σ(s)) = e·softplus(−s) + (1 − e)·softplus(s)
 *   ∂ℓ/∂s   = σ(s) − e
 * </pre>
 *
 * <p>over one raw score (logit) s, with target e ∈ [0, 1] (1 = the event happened; values in
 * between are soft targets), natural log, minimised. It is not a deferral surrogate.
 *
 * <p><b>Unobserved is not wrong</b> (DESIGN.md §4): a NaN target means the outcome was not observed
 * (the expert did not see the case); the row is masked out — loss 0 and gradient 0 — rather than
 * counted as a failure.
 *
 * <p>Numerics: softplus and σ come from {@link StableMath} (sign-branched, never {@code exp} of a
 * positive argument), so the loss and the gradient are finite for scores of ±1e3; at s = ±1e3 the
 * loss of a wrong sure prediction is 1e3, not ∞.
 */
public final class BinaryCrossEntropy {
  private BinaryCrossEntropy() {}

  /**
   * ℓ(s, e) and its gradient.
   *
   * @param score the logit s (finite)
   * @param target e ∈ [0, 1], or NaN for an unobserved outcome (masked out)
   * @param gradOut length ≥ {@code gradAt + 1}; entry {@code gradAt} is overwritten with ∂ℓ/∂s (0
   *     for a masked row), the other entries are untouched
   * @param gradAt where the gradient goes
   * @return ℓ(s, e), or 0 for a masked row
   * @throws IllegalArgumentException when the target is outside [0, 1] and not NaN, or the gradient
   *     index is out of range
   */
  public static double evaluate(double score, double target, double[] gradOut, int gradAt) {
    if (gradAt < 0 || gradAt >= gradOut.length) {
      throw new IllegalArgumentException(
          "gradient index " + gradAt + " outside an array of " + gradOut.length);
    }
    if (Double.isNaN(target)) {
      gradOut[gradAt] = 0.0;
      return 0.0;
    }
    if (!(target >= 0 && target <= 1)) {
      throw new IllegalArgumentException(
          "binary cross-entropy target must be in [0, 1] or NaN (unobserved), got " + target);
    }
    gradOut[gradAt] = StableMath.sigmoid(score) - target;
    double loss = 0.0;
    if (target > 0) {
      loss += target * StableMath.softplus(-score);
    }
    if (target < 1) {
      loss += (1 - target) * StableMath.softplus(score);
    }
    return loss;
  }

  /** {@link #evaluate(double, double, double[], int)} on {@code scores[0]}, gradient at 0. */
  public static double evaluate(double[] scores, double target, double[] gradOut) {
    return evaluate(scores[0], target, gradOut, 0);
  }
}
