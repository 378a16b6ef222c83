package org.defer4j.core.expert;

import java.util.Arrays;

/**
 * The workload-constrained posterior of probabilistic L2D (Nguyen, Do and Carneiro, ICLR 2025, the
 * {@code constrained_posterior} step): given each case's unconstrained posterior q_i over the A
 * agents, the posteriors closest in KL divergence whose mean share per agent lies in its bounds,
 *
 * <pre>
 *   q* = argmin_q Σ_i KL(q_i ‖ q_i^uncon)   s.t.   ε^l_j ≤ (1/n) Σ_i q_i(j) ≤ ε^u_j .
 * </pre>
 *
 * The solution has the form q*_i(j) ∝ q_i^uncon(j) · exp(ν_j) with one dual variable ν_j = μ^l_j −
 * μ^u_j per agent (ν_j &gt; 0 only at the lower bound, &lt; 0 only at the upper). The reference
 * code minimises the dual by projected gradient; here it is minimised exactly by cyclic coordinate
 * descent: with the other ν fixed, agent j's mean share is increasing in ν_j, so its coordinate
 * optimum is 0 when the share is inside the bounds and otherwise the root (by bisection) that puts
 * the share on the violated bound. The dual is convex and smooth, so the cycle converges; it stops
 * when no share is outside its bounds by more than the tolerance.
 *
 * <p>Feasibility needs Σ_j ε^l_j ≤ 1 ≤ Σ_j ε^u_j, and an agent with a positive lower bound must
 * have positive posterior on some case; otherwise the dual diverges and this throws.
 */
public final class WorkloadProjection {
  private WorkloadProjection() {}

  /** Default largest violation of a bound after the projection. */
  public static final double TOLERANCE = 1e-10;

  /**
   * The projected posteriors.
   *
   * @param q n × A row-major unconstrained posteriors (rows sum to 1; zeros allowed; read only)
   * @param n rows
   * @param lower A lower bounds on the mean share
   * @param upper A upper bounds on the mean share
   * @return n × A projected posteriors
   * @throws IllegalArgumentException on bounds outside [0, 1], lower &gt; upper, infeasible bounds
   *     or a shape mismatch
   */
  public static double[] project(double[] q, int n, double[] lower, double[] upper) {
    return project(q, n, lower, upper, TOLERANCE);
  }

  /** As {@link #project(double[], int, double[], double[])} with another tolerance. */
  public static double[] project(
      double[] q, int n, double[] lower, double[] upper, double tolerance) {
    int a = lower.length;
    checkBounds(lower, upper);
    if (n <= 0 || q.length != n * a) {
      throw new IllegalArgumentException(
          "posteriors have length " + q.length + ", expected " + n + " x " + a);
    }
    double[] support = new double[a];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < a; j++) {
        support[j] += q[i * a + j];
      }
    }
    for (int j = 0; j < a; j++) {
      if (lower[j] > 0 && support[j] == 0) {
        throw new IllegalArgumentException(
            "agent " + j + " has lower workload bound " + lower[j] + " but no case it can take");
      }
    }
    double[] nu = new double[a];
    double[] out = new double[q.length];
    for (int sweep = 0; sweep < 10_000; sweep++) {
      for (int j = 0; j < a; j++) {
        double[] rest = rest(q, n, a, nu, j);
        double share = share(q, n, a, rest, j, nu[j]);
        if (share > upper[j]) {
          nu[j] = solve(q, n, a, nu, j, upper[j], false);
        } else if (share < lower[j]) {
          nu[j] = solve(q, n, a, nu, j, lower[j], true);
        } else if (nu[j] != 0) {
          // Inside the bounds the coordinate optimum is ν_j = 0, unless ν_j = 0 itself would
          // leave them (then the bound stays active).
          double free = share(q, n, a, rest, j, 0);
          if (free > upper[j]) {
            nu[j] = solve(q, n, a, nu, j, upper[j], false);
          } else if (free < lower[j]) {
            nu[j] = solve(q, n, a, nu, j, lower[j], true);
          } else {
            nu[j] = 0;
          }
        }
      }
      apply(q, n, a, nu, out);
      if (maxViolation(out, n, lower, upper) <= tolerance
          && complementary(out, n, nu, lower, upper, tolerance)) {
        return out;
      }
    }
    apply(q, n, a, nu, out);
    double v = maxViolation(out, n, lower, upper);
    if (v > Math.max(tolerance, 1e-6)) {
      throw new IllegalStateException("workload projection did not converge: violation " + v);
    }
    return out;
  }

  /** The mean share of each agent, A values. */
  public static double[] shares(double[] q, int n, int a) {
    double[] s = new double[a];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < a; j++) {
        s[j] += q[i * a + j];
      }
    }
    for (int j = 0; j < a; j++) {
      s[j] /= n;
    }
    return s;
  }

  /** The largest amount by which a mean share leaves its bounds (0 when all are inside). */
  public static double maxViolation(double[] q, int n, double[] lower, double[] upper) {
    double[] s = shares(q, n, lower.length);
    double v = 0;
    for (int j = 0; j < s.length; j++) {
      v = Math.max(v, Math.max(s[j] - upper[j], lower[j] - s[j]));
    }
    return v;
  }

  /**
   * Checks workload bounds: each in [0, 1], lower ≤ upper, Σ lower ≤ 1 ≤ Σ upper.
   *
   * @throws IllegalArgumentException naming the offending bound
   */
  public static void checkBounds(double[] lower, double[] upper) {
    if (lower.length != upper.length || lower.length == 0) {
      throw new IllegalArgumentException(
          "need one lower and one upper bound per agent, got "
              + lower.length
              + " and "
              + upper.length);
    }
    double lo = 0;
    double hi = 0;
    for (int j = 0; j < lower.length; j++) {
      if (!(lower[j] >= 0 && lower[j] <= upper[j] && upper[j] <= 1)) {
        throw new IllegalArgumentException(
            "agent "
                + j
                + ": workload bounds must satisfy 0 <= lower <= upper <= 1, got "
                + lower[j]
                + ":"
                + upper[j]);
      }
      lo += lower[j];
      hi += upper[j];
    }
    if (lo > 1 + 1e-12 || hi < 1 - 1e-12) {
      throw new IllegalArgumentException(
          "infeasible workload bounds: the lower bounds sum to "
              + lo
              + " and the upper bounds to "
              + hi
              + "; need sum(lower) <= 1 <= sum(upper) "
              + Arrays.toString(lower)
              + " "
              + Arrays.toString(upper));
    }
  }

  private static boolean complementary(
      double[] out, int n, double[] nu, double[] lower, double[] upper, double tolerance) {
    double[] s = shares(out, n, nu.length);
    for (int j = 0; j < nu.length; j++) {
      if (nu[j] > 0 && s[j] > lower[j] + tolerance) {
        return false;
      }
      if (nu[j] < 0 && s[j] < upper[j] - tolerance) {
        return false;
      }
    }
    return true;
  }

  private static void apply(double[] q, int n, int a, double[] nu, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : nu) {
      max = Math.max(max, v);
    }
    double[] w = new double[a];
    for (int j = 0; j < a; j++) {
      w[j] = Math.exp(nu[j] - max);
    }
    for (int i = 0; i < n; i++) {
      double z = 0;
      for (int j = 0; j < a; j++) {
        z += q[i * a + j] * w[j];
      }
      for (int j = 0; j < a; j++) {
        out[i * a + j] = q[i * a + j] * w[j] / z;
      }
    }
  }

  /**
   * The other agents' weight per row, Σ_{k ≠ j} q_i(k)·exp(ν_k), so that agent j's share is an O(n)
   * function of ν_j (the ν stay within ±{@value #NU_LIMIT}, so no shift is needed).
   */
  private static double[] rest(double[] q, int n, int a, double[] nu, int j) {
    double[] w = new double[a];
    for (int k = 0; k < a; k++) {
      w[k] = k == j ? 0 : Math.exp(nu[k]);
    }
    double[] rest = new double[n];
    for (int i = 0; i < n; i++) {
      double r = 0;
      for (int k = 0; k < a; k++) {
        r += q[i * a + k] * w[k];
      }
      rest[i] = r;
    }
    return rest;
  }

  private static final double NU_LIMIT = 600;

  /** Agent j's mean share when ν_j is v, the others' weights being {@code rest}. */
  private static double share(double[] q, int n, int a, double[] rest, int j, double v) {
    double e = Math.exp(v);
    double total = 0;
    for (int i = 0; i < n; i++) {
      double mine = q[i * a + j] * e;
      double z = mine + rest[i];
      total += z > 0 ? mine / z : 0;
    }
    return total / n;
  }

  /** The ν_j that puts agent j's share on {@code target}; up: the share is below it now. */
  private static double solve(
      double[] q, int n, int a, double[] nu, int j, double target, boolean up) {
    double[] rest = rest(q, n, a, nu, j);
    double lo = nu[j];
    double hi = nu[j];
    double step = 1;
    if (up) {
      while (share(q, n, a, rest, j, hi) < target) {
        hi += step;
        step *= 2;
        if (hi > NU_LIMIT) {
          throw new IllegalArgumentException(
              "agent " + j + " cannot reach its lower workload bound " + target);
        }
      }
    } else {
      while (share(q, n, a, rest, j, lo) > target) {
        lo -= step;
        step *= 2;
        if (lo < -NU_LIMIT) {
          throw new IllegalArgumentException(
              "agent " + j + " cannot be held under its upper workload bound " + target);
        }
      }
    }
    for (int it = 0; it < 200 && hi - lo > 1e-13 * Math.max(1, Math.abs(lo)); it++) {
      double mid = 0.5 * (lo + hi);
      if (share(q, n, a, rest, j, mid) < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    // The side that keeps the bound: at the upper bound the lower end, at the lower the upper.
    return up ? hi : lo;
  }
}
