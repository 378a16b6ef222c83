package org.defer4j.core.optim;

import org.defer4j.core.Checks;

/**
 * Options of {@link Sgd}.
 *
 * @param learningRate step size η &gt; 0
 * @param momentum μ in [0, 1); 0 is plain gradient descent
 * @param nesterov Nesterov's accelerated variant (needs μ &gt; 0)
 * @param weightDecay coupled L2 coefficient λ ≥ 0 added to the gradient as λ θ, on every coordinate
 */
public record SgdOptions(
    double learningRate, double momentum, boolean nesterov, double weightDecay) {

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public SgdOptions {
    Gradients.checkLearningRate(learningRate);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
    }
    Checks.checkNonNegative("weight decay", weightDecay);
  }

  /** Plain gradient descent with step size {@code learningRate}. */
  public static SgdOptions plain(double learningRate) {
    return new SgdOptions(learningRate, 0, false, 0);
  }

  /** Heavy-ball momentum 0.9 with step size {@code learningRate}. */
  public static SgdOptions momentum(double learningRate) {
    return new SgdOptions(learningRate, 0.9, false, 0);
  }
}
