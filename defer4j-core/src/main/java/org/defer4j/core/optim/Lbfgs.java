package org.defer4j.core.optim;

import org.defer4j.core.Checks;

/**
 * Limited-memory BFGS (Liu &amp; Nocedal, Math. Programming 1989) for smooth full-batch objectives:
 * the convex surrogates of linear deferral models, calibration fits, the inner problems of post-hoc
 * estimators.
 *
 * <p>Each iteration computes d = −H∇f by the two-loop recursion over the last m pairs s = x_{k+1} −
 * x_k, y = ∇f_{k+1} − ∇f_k, with the initial scaling H₀ = (sᵀy / yᵀy) I (Nocedal &amp; Wright,
 * Numerical Optimization, 2nd ed., Algorithm 7.4 and eq. 7.20), then a line search for a step α
 * satisfying the <b>strong Wolfe conditions</b>
 *
 * <pre>
 *   f(x + α d) ≤ f(x) + c₁ α ∇fᵀd        |∇f(x + α d)ᵀd| ≤ c₂ |∇fᵀd|
 * </pre>
 *
 * <p>by bracketing and zooming with safeguarded cubic interpolation (Nocedal &amp; Wright,
 * Algorithms 3.5 and 3.6). The strong Wolfe conditions guarantee sᵀy &gt; 0, so the update keeps H
 * positive definite; a pair with sᵀy ≤ 0 (possible only after a fallback step) is skipped. The
 * first step is scaled to unit length, later ones start at α = 1.
 *
 * <p>When a line search fails along the quasi-Newton direction, the history is dropped and the
 * search is retried along steepest descent; when that fails too, the run stops with {@link
 * LbfgsResult.Termination#LINE_SEARCH_FAILED} at the best point found. An objective value of +∞
 * makes the line search step back; a NaN value or a non-finite gradient at a finite value throws
 * {@link ArithmeticException}.
 */
public final class Lbfgs {
  private final LbfgsOptions options;

  /** An optimizer with the given options. */
  public Lbfgs(LbfgsOptions options) {
    this.options = options;
  }

  /** An optimizer with {@link LbfgsOptions#defaults()}. */
  public Lbfgs() {
    this(LbfgsOptions.defaults());
  }

  /** The options. */
  public LbfgsOptions options() {
    return options;
  }

  /**
   * Minimises {@code f} from {@code x0} (not modified).
   *
   * @throws IllegalArgumentException if {@code x0} is empty or not finite
   * @throws ArithmeticException if f returns NaN, −∞, +∞ at {@code x0}, or a non-finite gradient
   */
  public LbfgsResult minimize(DifferentiableFunction f, double[] x0) {
    Checks.checkPositive("dimension", x0.length);
    Checks.checkAllFinite("starting point", x0);
    return new Run(f, x0).solve();
  }

  /** The state of one minimisation. */
  private final class Run {
    private final DifferentiableFunction f;
    private final int n;
    private final int m;
    private double[] x;
    private double[] g;
    private double fx;
    private double[] xt;
    private double[] gt;
    private final double[] d;
    private final double[][] s;
    private final double[][] y;
    private final double[] rho;
    private final double[] alpha;
    private int stored;
    private int newest = -1;
    private int evaluations;
    private int iterations;

    /** The value and directional derivative at the last trial point. */
    private double trialValue;

    private double trialSlope;

    Run(DifferentiableFunction f, double[] x0) {
      this.f = f;
      this.n = x0.length;
      this.m = options.historySize();
      this.x = x0.clone();
      this.g = new double[n];
      this.xt = new double[n];
      this.gt = new double[n];
      this.d = new double[n];
      this.s = new double[m][];
      this.y = new double[m][];
      this.rho = new double[m];
      this.alpha = new double[m];
    }

    LbfgsResult solve() {
      fx = evaluate(x, g);
      if (!Double.isFinite(fx)) {
        throw new ArithmeticException("L-BFGS: the objective is " + fx + " at the starting point");
      }
      checkGradient(g);
      double gnorm = normInf(g);
      if (gnorm <= options.gradientTolerance()) {
        return result(LbfgsResult.Termination.GRADIENT_TOLERANCE);
      }
      while (iterations < options.maxIterations()) {
        double slope = direction();
        double step = stored == 0 ? Math.min(1, 1 / norm2(d)) : 1;
        boolean found = lineSearch(slope, step);
        if (!found && stored > 0) {
          stored = 0;
          newest = -1;
          slope = direction();
          found = lineSearch(slope, Math.min(1, 1 / norm2(d)));
        }
        if (!found) {
          return result(LbfgsResult.Termination.LINE_SEARCH_FAILED);
        }
        double previous = fx;
        remember();
        double[] swap = x;
        x = xt;
        xt = swap;
        swap = g;
        g = gt;
        gt = swap;
        fx = trialValue;
        iterations++;
        if (normInf(g) <= options.gradientTolerance()) {
          return result(LbfgsResult.Termination.GRADIENT_TOLERANCE);
        }
        double tol = options.functionTolerance();
        if (tol > 0 && previous - fx <= tol * Math.max(1, Math.abs(fx))) {
          return result(LbfgsResult.Termination.FUNCTION_TOLERANCE);
        }
      }
      return result(LbfgsResult.Termination.MAX_ITERATIONS);
    }

    private LbfgsResult result(LbfgsResult.Termination reason) {
      return new LbfgsResult(x, fx, normInf(g), iterations, evaluations, reason);
    }

    /** d = −H g by the two-loop recursion; returns gᵀd (&lt; 0), falling back to d = −g. */
    private double direction() {
      for (int i = 0; i < n; i++) {
        d[i] = g[i];
      }
      if (stored > 0) {
        int k = newest;
        for (int c = 0; c < stored; c++) {
          double a = rho[k] * dot(s[k], d);
          alpha[k] = a;
          axpy(-a, y[k], d);
          k = (k - 1 + m) % m;
        }
        double gamma = 1 / (rho[newest] * dot(y[newest], y[newest]));
        for (int i = 0; i < n; i++) {
          d[i] *= gamma;
        }
        k = (newest - stored + 1 + m) % m;
        for (int c = 0; c < stored; c++) {
          double b = rho[k] * dot(y[k], d);
          axpy(alpha[k] - b, s[k], d);
          k = (k + 1) % m;
        }
      }
      for (int i = 0; i < n; i++) {
        d[i] = -d[i];
      }
      double slope = dot(g, d);
      if (!(slope < 0)) {
        // Rounding made the quasi-Newton direction useless: restart from steepest descent.
        stored = 0;
        newest = -1;
        for (int i = 0; i < n; i++) {
          d[i] = -g[i];
        }
        slope = dot(g, d);
      }
      return slope;
    }

    /** Stores the pair (xt − x, gt − g) when its curvature sᵀy is positive. */
    private void remember() {
      int k = (newest + 1) % m;
      if (s[k] == null) {
        s[k] = new double[n];
        y[k] = new double[n];
      }
      double[] sk = s[k];
      double[] yk = y[k];
      double sy = 0;
      for (int i = 0; i < n; i++) {
        sk[i] = xt[i] - x[i];
        yk[i] = gt[i] - g[i];
        sy += sk[i] * yk[i];
      }
      if (sy > 0 && Double.isFinite(sy)) {
        rho[k] = 1 / sy;
        newest = k;
        stored = Math.min(stored + 1, m);
      }
    }

    /**
     * Finds a strong-Wolfe step along d from x (Nocedal &amp; Wright Algorithm 3.5); on success the
     * accepted point is in xt, gt, trialValue.
     */
    private boolean lineSearch(double slope0, double initialStep) {
      double c1 = options.c1();
      double c2 = options.c2();
      int budget = options.maxEvaluationsPerSearch();
      double f0 = fx;
      double aPrev = 0;
      double fPrev = f0;
      double dPrev = slope0;
      double a = initialStep;
      for (int i = 0; i < budget; i++) {
        trial(a);
        double fa = trialValue;
        double da = trialSlope;
        if (!(fa <= f0 + c1 * a * slope0) || (i > 0 && fa >= fPrev)) {
          return zoom(slope0, aPrev, fPrev, dPrev, a, fa, da, budget - i - 1);
        }
        if (Math.abs(da) <= -c2 * slope0) {
          return true;
        }
        if (da >= 0) {
          return zoom(slope0, a, fa, da, aPrev, fPrev, dPrev, budget - i - 1);
        }
        aPrev = a;
        fPrev = fa;
        dPrev = da;
        a *= 2;
      }
      return acceptDecrease(aPrev, fPrev, f0);
    }

    /** Nocedal &amp; Wright Algorithm 3.6: lo satisfies sufficient decrease, [lo, hi] brackets. */
    private boolean zoom(
        double slope0,
        double lo,
        double fLo,
        double dLo,
        double hi,
        double fHi,
        double dHi,
        int budget) {
      double c1 = options.c1();
      double c2 = options.c2();
      double f0 = fx;
      for (int i = 0; i < budget; i++) {
        if (Math.abs(hi - lo) <= 1e-16 * Math.max(Math.abs(lo), Math.abs(hi))) {
          break;
        }
        double a = interpolate(lo, fLo, dLo, hi, fHi, dHi);
        trial(a);
        double fa = trialValue;
        double da = trialSlope;
        if (!(fa <= f0 + c1 * a * slope0) || fa >= fLo) {
          hi = a;
          fHi = fa;
          dHi = da;
        } else {
          if (Math.abs(da) <= -c2 * slope0) {
            return true;
          }
          if (da * (hi - lo) >= 0) {
            hi = lo;
            fHi = fLo;
            dHi = dLo;
          }
          lo = a;
          fLo = fa;
          dLo = da;
        }
      }
      return acceptDecrease(lo, fLo, f0);
    }

    /**
     * When the budget runs out, a step that satisfied sufficient decrease (but not the curvature
     * condition) still makes progress: take it.
     */
    private boolean acceptDecrease(double a, double fa, double f0) {
      if (a > 0 && fa < f0) {
        trial(a);
        return trialValue < f0;
      }
      return false;
    }

    /**
     * The minimiser of the cubic matching f and f' at both ends (Nocedal &amp; Wright eq. 3.59),
     * kept at least a tenth of the interval away from its ends; bisection when the cubic is
     * unusable (for instance f = +∞ at one end).
     */
    private double interpolate(
        double lo, double fLo, double dLo, double hi, double fHi, double dHi) {
      double left = Math.min(lo, hi);
      double right = Math.max(lo, hi);
      double margin = 0.1 * (right - left);
      if (Double.isFinite(fHi) && Double.isFinite(dHi)) {
        double d1 = dLo + dHi - 3 * (fLo - fHi) / (lo - hi);
        double disc = d1 * d1 - dLo * dHi;
        if (disc >= 0) {
          double d2 = Math.copySign(Math.sqrt(disc), hi - lo);
          double a = hi - (hi - lo) * (dHi + d2 - d1) / (dHi - dLo + 2 * d2);
          if (a >= left + margin && a <= right - margin) {
            return a;
          }
        }
      }
      return 0.5 * (lo + hi);
    }

    /** Evaluates at x + a·d into xt, gt, trialValue, trialSlope. */
    private void trial(double a) {
      for (int i = 0; i < n; i++) {
        xt[i] = x[i] + a * d[i];
      }
      double value = evaluate(xt, gt);
      trialValue = value;
      if (value == Double.POSITIVE_INFINITY) {
        trialSlope = Double.NaN;
        return;
      }
      checkGradient(gt);
      trialSlope = dot(gt, d);
    }

    private double evaluate(double[] point, double[] grad) {
      evaluations++;
      double value = f.valueAndGradient(point, grad);
      if (Double.isNaN(value) || value == Double.NEGATIVE_INFINITY) {
        throw new ArithmeticException(
            "L-BFGS iteration "
                + iterations
                + ", evaluation "
                + evaluations
                + ": the objective returned "
                + value);
      }
      return value;
    }

    private void checkGradient(double[] grad) {
      for (int i = 0; i < n; i++) {
        if (!Double.isFinite(grad[i])) {
          throw new ArithmeticException(
              "L-BFGS iteration "
                  + iterations
                  + ", evaluation "
                  + evaluations
                  + ": gradient["
                  + i
                  + "] is "
                  + grad[i]);
        }
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double norm2(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static double normInf(double[] a) {
    double max = 0;
    for (double v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
