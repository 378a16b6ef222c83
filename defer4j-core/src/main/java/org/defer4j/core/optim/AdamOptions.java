package org.defer4j.core.optim;

import org.defer4j.core.Checks;

/**
 * Options of {@link Adam}.
 *
 * @param learningRate step size η &gt; 0
 * @param beta1 decay of the first-moment average, in [0, 1)
 * @param beta2 decay of the second-moment average, in [0, 1)
 * @param epsilon ε &gt; 0 added to √v̂ in the denominator
 * @param weightDecay decoupled weight decay λ ≥ 0 (AdamW): θ ← θ − η λ θ before the Adam step, on
 *     every coordinate, biases included (use {@link
 *     org.defer4j.core.model.Scorer#penalty(double[])} for an L2 penalty on weights only)
 */
public record AdamOptions(
    double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public AdamOptions {
    Gradients.checkLearningRate(learningRate);
    checkDecay("beta1", beta1);
    checkDecay("beta2", beta2);
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
    }
    Checks.checkNonNegative("weight decay", weightDecay);
  }

  private static void checkDecay(String what, double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1), got " + beta);
    }
  }

  /** Kingma &amp; Ba's defaults: η = 1e−3, β₁ = 0.9, β₂ = 0.999, ε = 1e−8, no weight decay. */
  public static AdamOptions defaults() {
    return new AdamOptions(1e-3, 0.9, 0.999, 1e-8, 0);
  }

  /** These options with learning rate {@code learningRate}. */
  public AdamOptions withLearningRate(double learningRate) {
    return new AdamOptions(learningRate, beta1, beta2, epsilon, weightDecay);
  }

  /** These options with decoupled weight decay {@code weightDecay}. */
  public AdamOptions withWeightDecay(double weightDecay) {
    return new AdamOptions(learningRate, beta1, beta2, epsilon, weightDecay);
  }
}
