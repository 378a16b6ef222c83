package org.defer4j.core.loss;

import java.util.Locale;

/**
 * The non-increasing link Ψ of the comp-sum family (Mao, Mohri and Zhong 2023, "Cross-entropy loss
 * functions: theoretical analysis and applications"), applied to a probability u ∈ (0, 1]:
 *
 * <pre>
 *   Ψ_q(u) = (1 − u^q) / q   for q ≠ 0,
 *   Ψ_0(u) = −log u.
 * </pre>
 *
 * <p>q = 0 is the logistic (cross-entropy) link, q = 1 the MAE link 1 − u, q = −1 the inverse link
 * 1/u − 1 (the sum-exponential loss). The comp-sum loss Φ^ν(s, j) of DESIGN.md §5 is Ψ_{ν−1}
 * applied to softmax(s)_j, so ν ≥ 0 corresponds to q ≥ −1. Every Ψ_q satisfies Ψ_q(1) = 0 and is
 * non-increasing; it is bounded on (0, 1] iff q &gt; 0.
 *
 * <p>Values are computed from log u (which losses obtain as a difference of log-sum-exps), so
 * {@code u^q = exp(q·log u)} never underflows to 0 before it is used; for q &lt; 0 the value itself
 * grows like u^q and overflows once q·log u exceeds ≈ 709.
 *
 * @param q the exponent, ≥ −1
 */
public record Psi(double q) {
  /** Ψ(u) = −log u (cross-entropy, ν = 1). */
  public static final Psi LOG = new Psi(0.0);

  /** Ψ(u) = 1 − u (mean absolute error, ν = 2). */
  public static final Psi MAE = new Psi(1.0);

  /** Ψ(u) = 1/u − 1 (sum-exponential, ν = 0). */
  public static final Psi INVERSE = new Psi(-1.0);

  /**
   * @throws IllegalArgumentException unless q is finite and ≥ −1
   */
  public Psi {
    if (!(q >= -1) || Double.isInfinite(q)) {
      throw new IllegalArgumentException("Psi exponent q must be finite and >= -1, got " + q);
    }
    if (q == 0.0) {
      q = 0.0; // folds −0.0 into 0.0 so that equals() and names agree
    }
  }

  /** The link of the comp-sum loss Φ^ν: Ψ_{ν−1}. */
  public static Psi ofNu(double nu) {
    if (!(nu >= 0) || Double.isInfinite(nu)) {
      throw new IllegalArgumentException(
          "comp-sum parameter nu must be finite and >= 0, got " + nu);
    }
    return new Psi(nu - 1.0);
  }

  /** Ψ(u) for u ∈ (0, 1]. */
  public double apply(double u) {
    return ofLog(Math.log(u));
  }

  /** Ψ(u) given log u ≤ 0. */
  public double ofLog(double logU) {
    return q == 0.0 ? -logU : -Math.expm1(q * logU) / q;
  }

  /** dΨ(u)/d(log u) = −u^q, given log u. */
  public double slopeOfLog(double logU) {
    return q == 0.0 ? -1.0 : -Math.exp(q * logU);
  }

  /** Whether Ψ is bounded on (0, 1] (q &gt; 0). */
  public boolean bounded() {
    return q > 0;
  }

  /** The catalogue spelling: {@code log}, {@code mae}, {@code inv}, or {@code q:Q}. */
  public String specName() {
    if (q == 0.0) {
      return "log";
    }
    if (q == 1.0) {
      return "mae";
    }
    if (q == -1.0) {
      return "inv";
    }
    return "q:" + Surrogates.formatNumber(q);
  }

  /**
   * Parses {@code log}, {@code mae}, {@code inv} or {@code q:Q}.
   *
   * @throws IllegalArgumentException naming the value and the accepted spellings
   */
  public static Psi parse(String s) {
    switch (s) {
      case "log":
        return LOG;
      case "mae":
        return MAE;
      case "inv":
        return INVERSE;
      default:
        if (s.startsWith("q:")) {
          return new Psi(Surrogates.parseNumber("Psi exponent", s.substring(2)));
        }
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT, "unknown Psi link '%s'; expected log, mae, inv or q:<number>", s));
    }
  }
}
