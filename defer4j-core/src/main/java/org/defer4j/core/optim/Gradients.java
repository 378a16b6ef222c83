package org.defer4j.core.optim;

import org.defer4j.core.Checks;

/** Shared argument checks of the optimizers. */
final class Gradients {
  private Gradients() {}

  static void checkStep(String optimizer, long step, int dimension, double[] params, double[] g) {
    checkLengths(dimension, params, g);
    if (Checks.allFinite(g)) {
      return;
    }
    for (int i = 0; i < g.length; i++) {
      if (!Double.isFinite(g[i])) {
        throw new ArithmeticException(
            optimizer
                + " step "
                + step
                + ": gradient["
                + i
                + "] is "
                + g[i]
                + "; parameters left unchanged");
      }
    }
  }

  /** The length checks of {@link #checkStep}, for a gradient the caller has found finite. */
  static void checkLengths(int dimension, double[] params, double[] g) {
    Checks.checkDimension("parameters", params.length, dimension);
    Checks.checkDimension("gradient", g.length, dimension);
  }

  static double checkLearningRate(double learningRate) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be finite and > 0, got " + learningRate);
    }
    return learningRate;
  }
}
