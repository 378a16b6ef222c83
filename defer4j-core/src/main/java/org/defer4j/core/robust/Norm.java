package org.defer4j.core.robust;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The norm of the threat model's ball B_p(x, γ) = {x' : ‖x' − x‖_p ≤ γ} (survey §7.4, eq. 20), on
 * the scorer's inputs (the standardised features), with what projected gradient ascent needs: a
 * uniform random start in the ball, the steepest-ascent step of the norm, and the projection back.
 */
public enum Norm {
  /** ℓ∞: every feature moves by at most γ; step η·sign(g), projection by clipping. */
  LINF,
  /** ℓ2: the Euclidean ball; step η·g/‖g‖₂, projection by rescaling. */
  L2;

  /** Parses {@code linf} or {@code l2} (case-insensitive). */
  public static Norm parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "linf", "l-inf", "inf" -> LINF;
      case "l2", "2" -> L2;
      default -> throw new IllegalArgumentException("norm '" + s + "' is not linf or l2");
    };
  }

  /** The saved spelling: {@code linf} or {@code l2}. */
  public String spec() {
    return this == LINF ? "linf" : "l2";
  }

  /** ‖v‖ of d values from an offset. */
  public double length(double[] v, int off, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double a = Math.abs(v[off + j]);
      s = this == LINF ? Math.max(s, a) : s + a * a;
    }
    return this == LINF ? s : Math.sqrt(s);
  }

  /** The dual norm ‖w‖_* (ℓ1 for ℓ∞, ℓ2 for ℓ2): max over the unit ball of w·δ. */
  public double dual(double[] w, int off, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      s += this == LINF ? Math.abs(w[off + j]) : w[off + j] * w[off + j];
    }
    return this == LINF ? s : Math.sqrt(s);
  }

  /**
   * Writes a point drawn uniformly from B(x, γ) into {@code out}: uniform per coordinate for ℓ∞; a
   * uniform direction times γ·U^{1/d} for ℓ2.
   */
  void randomStart(
      double[] x, int xOff, double[] out, int outOff, int d, double radius, SplittableRandom rng) {
    if (this == LINF) {
      for (int j = 0; j < d; j++) {
        out[outOff + j] = x[xOff + j] + radius * (2 * rng.nextDouble() - 1);
      }
      return;
    }
    double norm = 0;
    for (int j = 0; j < d; j++) {
      double g = gaussian(rng);
      out[outOff + j] = g;
      norm += g * g;
    }
    norm = Math.sqrt(norm);
    double r = radius * Math.pow(rng.nextDouble(), 1.0 / d) / (norm == 0 ? 1 : norm);
    for (int j = 0; j < d; j++) {
      out[outOff + j] = x[xOff + j] + r * out[outOff + j];
    }
  }

  /** x' ← x' + η·(steepest ascent direction of g): sign(g) for ℓ∞, g/‖g‖₂ for ℓ2. */
  void step(double[] xp, int off, double[] g, int gOff, int d, double eta) {
    if (this == LINF) {
      for (int j = 0; j < d; j++) {
        xp[off + j] += eta * Math.signum(g[gOff + j]);
      }
      return;
    }
    double n = 0;
    for (int j = 0; j < d; j++) {
      n += g[gOff + j] * g[gOff + j];
    }
    if (n == 0) {
      return;
    }
    double f = eta / Math.sqrt(n);
    for (int j = 0; j < d; j++) {
      xp[off + j] += f * g[gOff + j];
    }
  }

  /** Projects x' onto B(x, γ) in place. */
  void project(double[] x, int xOff, double[] xp, int off, int d, double radius) {
    if (this == LINF) {
      for (int j = 0; j < d; j++) {
        double lo = x[xOff + j] - radius;
        double hi = x[xOff + j] + radius;
        xp[off + j] = Math.min(hi, Math.max(lo, xp[off + j]));
      }
      return;
    }
    double n = 0;
    for (int j = 0; j < d; j++) {
      double v = xp[off + j] - x[xOff + j];
      n += v * v;
    }
    n = Math.sqrt(n);
    if (n > radius) {
      double f = radius / n;
      for (int j = 0; j < d; j++) {
        xp[off + j] = x[xOff + j] + f * (xp[off + j] - x[xOff + j]);
      }
    }
  }

  private static double gaussian(SplittableRandom rng) {
    // Box–Muller; 1 − U lies in (0, 1], so the log is finite.
    double u = 1.0 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
