package org.defer4j.core.task;

import java.util.Locale;

/**
 * A regression loss ℓ(prediction, target) ≥ 0 used in agent costs (survey eq. 13; seed paper
 * Definition 4.1).
 */
public enum RegressionLoss {
  /** (p − t)². */
  SQUARED,
  /** |p − t|. */
  ABSOLUTE,
  /** Huber loss with δ = 1: ½d² for |d| &lt; 1, |d| − ½ otherwise (PyTorch's smooth_l1, β = 1). */
  SMOOTH_L1;

  /** Loss of a prediction against a target. */
  public double apply(double prediction, double target) {
    double d = Math.abs(prediction - target);
    return switch (this) {
      case SQUARED -> d * d;
      case ABSOLUTE -> d;
      case SMOOTH_L1 -> d < 1.0 ? 0.5 * d * d : d - 0.5;
    };
  }

  /** The spec spelling, e.g. {@code smooth_l1}. */
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the spec spelling.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static RegressionLoss parse(String s) {
    for (RegressionLoss l : values()) {
      if (l.specName().equals(s)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "regression_loss '" + s + "' is not one of [squared, absolute, smooth_l1]");
  }
}
