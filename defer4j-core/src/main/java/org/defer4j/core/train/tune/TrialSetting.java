package org.defer4j.core.train.tune;

import java.util.Locale;

/**
 * The hyperparameters of one tuning trial.
 *
 * @param method the catalogue method with its parameter, e.g. {@code ce:0.42}
 * @param learningRate Adam's or SGD's step size
 * @param l2 the L2 penalty on the scorer's weights, ≥ 0
 * @param epochs the most epochs
 * @param patience epochs without validation improvement before stopping
 * @param hiddenWidth units of every hidden layer of an MLP scorer, or 0 for the scorer as given
 */
public record TrialSetting(
    String method, double learningRate, double l2, int epochs, int patience, int hiddenWidth) {

  /** Validates. */
  public TrialSetting {
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("a trial needs a method");
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("trial learning rate must be > 0, got " + learningRate);
    }
    if (!(l2 >= 0) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException("trial L2 must be finite and >= 0, got " + l2);
    }
    if (epochs < 1 || patience < 0 || hiddenWidth < 0) {
      throw new IllegalArgumentException(
          "trial epochs must be >= 1, patience and width >= 0, got "
              + epochs
              + ", "
              + patience
              + ", "
              + hiddenWidth);
    }
  }

  /** The setting as {@code train} options, e.g. {@code --method ce:0.42 --lr 0.01 ...}. */
  public String asOptions() {
    return String.format(
        Locale.ROOT,
        "--method %s --lr %s --l2 %s --epochs %d --patience %d%s",
        method,
        num(learningRate),
        num(l2),
        epochs,
        patience,
        hiddenWidth > 0 ? " (hidden width " + hiddenWidth + ")" : "");
  }

  static String num(double v) {
    return v == 0 ? "0" : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
