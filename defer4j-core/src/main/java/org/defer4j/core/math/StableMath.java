package org.defer4j.core.math;

import org.defer4j.core.Checks;

/**
 * Numerically stable elementary functions used by every loss in defer4j.
 *
 * <p>Rules the functions follow (and the reason losses call them instead of {@link Math#exp}):
 *
 * <ul>
 *   <li>{@code exp} is only ever taken of a non-positive argument (after a max shift), so nothing
 *       overflows for inputs of ±1e3 or more;
 *   <li>log-probabilities are computed as differences of log-sum-exps, never as {@code log} of a
 *       probability that may have underflowed to zero;
 *   <li>{@code log1p}/{@code expm1} are used where the argument is close to zero.
 * </ul>
 *
 * <p>Masked variants take a {@code boolean[] active} (null means every entry is active); inactive
 * entries are skipped entirely, which is how losses drop unobserved experts. When no entry is
 * active the log-sum-exp is −∞ (the empty sum).
 */
public final class StableMath {
  private static final double LN2 = Math.log(2.0);

  private StableMath() {}

  /**
   * log Σ_i exp(x_i), shifted by the maximum.
   *
   * @throws IllegalArgumentException if {@code x} is empty
   */
  public static double logSumExp(double[] x) {
    return logSumExp(x, 0, x.length);
  }

  /**
   * log Σ_{i ∈ [from, to)} exp(x_i), shifted by the maximum.
   *
   * @throws IllegalArgumentException if the range is empty
   */
  public static double logSumExp(double[] x, int from, int to) {
    if (to <= from) {
      throw new IllegalArgumentException("logSumExp of an empty range [" + from + ", " + to + ")");
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      max = Math.max(max, x[i]);
    }
    if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
      return max;
    }
    double sum = 0.0;
    for (int i = from; i < to; i++) {
      sum += Math.exp(x[i] - max);
    }
    return max + Math.log(sum);
  }

  /**
   * log Σ_{i ∈ [from, to), i ≠ skip} exp(x_i), shifted by the maximum of those entries; −∞ when no
   * entry is left (the asymmetric softmax's normaliser without the top class, Cao et al. 2023).
   */
  public static double logSumExpExcept(double[] x, int from, int to, int skip) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      if (i != skip) {
        max = Math.max(max, x[i]);
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0.0;
    for (int i = from; i < to; i++) {
      if (i != skip) {
        sum += Math.exp(x[i] - max);
      }
    }
    return max + Math.log(sum);
  }

  /**
   * log Σ_{i active} exp(x_i); −∞ when nothing is active.
   *
   * @param active which entries take part; {@code null} means all
   */
  public static double logSumExp(double[] x, boolean[] active) {
    if (active == null) {
      return x.length == 0 ? Double.NEGATIVE_INFINITY : logSumExp(x);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      if (active[i]) {
        max = Math.max(max, x[i]);
      }
    }
    if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
      return max;
    }
    double sum = 0.0;
    for (int i = 0; i < x.length; i++) {
      if (active[i]) {
        sum += Math.exp(x[i] - max);
      }
    }
    return max + Math.log(sum);
  }

  /** log(exp(a) + exp(b)) without overflow. */
  public static double logAddExp(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double max = Math.max(a, b);
    return max + Math.log1p(Math.exp(-Math.abs(a - b)));
  }

  /**
   * Writes log softmax(x) into {@code out} (which may be {@code x} itself).
   *
   * @throws IllegalArgumentException on a length mismatch
   */
  public static void logSoftmax(double[] x, double[] out) {
    Checks.checkDimension("logSoftmax output", out.length, x.length);
    double max = max(x);
    double sum = 0.0;
    for (double v : x) {
      sum += Math.exp(v - max);
    }
    // (x − max) − log Σ keeps full precision when |max| is large, unlike x − (max + log Σ).
    double logSum = Math.log(sum);
    for (int i = 0; i < x.length; i++) {
      out[i] = (x[i] - max) - logSum;
    }
  }

  /**
   * Writes softmax(x) into {@code out} (which may be {@code x} itself); the entries sum to 1.
   *
   * @throws IllegalArgumentException on a length mismatch
   */
  public static void softmax(double[] x, double[] out) {
    Checks.checkDimension("softmax output", out.length, x.length);
    double max = max(x);
    double sum = 0.0;
    for (int i = 0; i < x.length; i++) {
      out[i] = Math.exp(x[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < x.length; i++) {
      out[i] /= sum;
    }
  }

  private static double max(double[] x) {
    if (x.length == 0) {
      throw new IllegalArgumentException("softmax of an empty vector");
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** σ(z) = 1 / (1 + e^{−z}), branched on the sign of z so that exp never overflows. */
  public static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }

  /** log σ(z) = −softplus(−z). */
  public static double logSigmoid(double z) {
    return -softplus(-z);
  }

  /** softplus(z) = log(1 + e^{z}) = max(z, 0) + log1p(e^{−|z|}). */
  public static double softplus(double z) {
    return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
  }

  /**
   * The logistic margin loss φ(z) = log(1 + e^{−z}) = softplus(−z) used by one-vs-all and
   * predictor–rejector surrogates.
   */
  public static double logistic(double z) {
    return softplus(-z);
  }

  /**
   * log(1 − e^{x}) for x ≤ 0 (Mächler 2012: {@code log(−expm1(x))} near 0, {@code log1p(−e^x)}
   * further out); −∞ at x = 0.
   *
   * @throws IllegalArgumentException if x &gt; 0 or NaN
   */
  public static double log1mexp(double x) {
    if (!(x <= 0)) {
      throw new IllegalArgumentException("log1mexp needs x <= 0, got " + x);
    }
    return x > -LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
  }

  /** log(e^{a} − e^{b}) for a ≥ b; −∞ when a = b. */
  public static double logDiffExp(double a, double b) {
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    return a + log1mexp(b - a);
  }

  /**
   * The standard normal distribution function Φ(x), through the complementary error function of
   * Numerical Recipes (Press et al., §6.2, Chebyshev fit; fractional error below 1.2e-7
   * everywhere).
   */
  public static double normalCdf(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.5 * z);
    double poly = 0;
    for (int k = ERFC.length - 1; k >= 0; k--) {
      poly = ERFC[k] + t * poly;
    }
    double erfc = t * Math.exp(-z * z + poly);
    return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
  }

  /** Coefficients of the erfc fit, constant term first (Numerical Recipes, erfcc). */
  private static final double[] ERFC = {
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277
  };

  /**
   * The standard normal quantile Φ⁻¹(p) for p in (0, 1), by bisection on {@link #normalCdf} (to
   * about 1e-7, the accuracy of Φ).
   *
   * @throws IllegalArgumentException when p is not in (0, 1)
   */
  public static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("a normal quantile needs p in (0, 1), got " + p);
    }
    double lo = -40;
    double hi = 40;
    for (int k = 0; k < 200 && hi - lo > 1e-12; k++) {
      double mid = 0.5 * (lo + hi);
      if (normalCdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }
}
