package org.defer4j.core.conformal;

import java.util.Arrays;

/** The split-conformal quantile shared by the conformal deferral methods. */
final class SplitConformal {
  private SplitConformal() {}

  /**
   * q̂ = the ⌈(n + 1)(1 − α)⌉-th smallest of n calibration scores (Vovk et al.; Angelopoulos &amp;
   * Bates 2021, eq. 1), +∞ when that rank exceeds n (too few calibration points for level 1 − α:
   * every set is full). With exchangeable calibration and test scores, P(s_test ≤ q̂) ≥ 1 − α.
   *
   * @param scores the calibration scores (not modified)
   * @param alpha α in (0, 1)
   */
  static double quantile(double[] scores, double alpha) {
    checkAlpha(alpha);
    int n = scores.length;
    int k = (int) Math.ceil((n + 1) * (1 - alpha));
    if (k > n || n == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double[] s = scores.clone();
    Arrays.sort(s);
    return s[Math.max(0, k - 1)];
  }

  static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must lie in (0, 1), got " + alpha);
    }
  }
}
