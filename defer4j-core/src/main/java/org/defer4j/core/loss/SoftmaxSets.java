package org.defer4j.core.loss;

/**
 * Accumulates weighted comp-sum terms w · Ψ(P_S) over one softmax, where P_S = Σ_{a ∈ S} m_a p_a is
 * the (membership-weighted) probability of a set of options and p = softmax over the active scores
 * in {@code [from, to)}.
 *
 * <p>Everything is computed in log space: log P_S = log Σ_S m_a e^{s_a} − log Σ_active e^{s}, so no
 * probability underflows before Ψ sees it. With ℓ = log P_S the gradient of one term is
 *
 * <pre>
 *   ∂/∂s_k [w Ψ(P_S)] = w Ψ'(ℓ) (m_k e^{s_k} / Σ_S m e^{s} · 1[k ∈ S] − p_k),   Ψ'(ℓ) = dΨ/dℓ = −P_S^q,
 * </pre>
 *
 * and the −p_k parts of all terms are collected into one scalar and applied by {@link #finish}.
 * Inactive (masked) options take no part in the normalisation and receive no gradient.
 */
final class SoftmaxSets {
  private final double[] s;
  private final int from;
  private final int to;
  private final boolean[] active;
  private final double max;
  private final double logSum;
  private double spread;

  /**
   * @param s scores (read only)
   * @param from first index of the softmax block
   * @param to end of the block (exclusive)
   * @param active absolute-indexed mask, or null for all active
   */
  SoftmaxSets(double[] s, int from, int to, boolean[] active) {
    this.s = s;
    this.from = from;
    this.to = to;
    this.active = active;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      if (isActive(i)) {
        max = Math.max(max, s[i]);
      }
    }
    double sum = 0.0;
    for (int i = from; i < to; i++) {
      if (isActive(i)) {
        sum += Math.exp(s[i] - max);
      }
    }
    // Kept apart: (s_i − max) − log Σ is exact to rounding even when |max| ~ 1e3.
    this.max = max;
    this.logSum = Math.log(sum);
  }

  boolean isActive(int i) {
    return active == null || active[i];
  }

  /** log p_i. */
  double logProb(int i) {
    return (s[i] - max) - logSum;
  }

  /** p_i. */
  double prob(int i) {
    return Math.exp(logProb(i));
  }

  /** Adds w · Ψ(p_i); returns the term's value. */
  double addSingle(double w, Psi psi, int i, double[] grad) {
    if (w == 0.0) {
      return 0.0;
    }
    double lp = Math.min(0.0, logProb(i));
    double d = w * psi.slopeOfLog(lp);
    grad[i] += d;
    spread += d;
    return w * psi.ofLog(lp);
  }

  /**
   * Adds w · Ψ(Σ_{a ∈ S} m_a p_a); returns the term's value.
   *
   * @param idx the first {@code n} entries are the set's indices (all active)
   * @param member membership weights m_a ≥ 0 aligned with {@code idx}, or null for all 1
   */
  double addSet(double w, Psi psi, int[] idx, double[] member, int n, double[] grad) {
    if (w == 0.0) {
      return 0.0;
    }
    double maxSet = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < n; a++) {
      if (member == null || member[a] > 0) {
        maxSet = Math.max(maxSet, s[idx[a]]);
      }
    }
    double sum = 0.0;
    for (int a = 0; a < n; a++) {
      double m = member == null ? 1.0 : member[a];
      if (m > 0) {
        sum += m * Math.exp(s[idx[a]] - maxSet);
      }
    }
    double logSumSet = Math.log(sum);
    double lp = Math.min(0.0, (maxSet - max) + (logSumSet - logSum));
    double d = w * psi.slopeOfLog(lp);
    for (int a = 0; a < n; a++) {
      double m = member == null ? 1.0 : member[a];
      if (m > 0) {
        grad[idx[a]] += d * m * Math.exp((s[idx[a]] - maxSet) - logSumSet);
      }
    }
    spread += d;
    return w * psi.ofLog(lp);
  }

  /** Applies the collected −p_k parts to the gradient; call once after the last term. */
  void finish(double[] grad) {
    if (spread == 0.0) {
      return;
    }
    for (int i = from; i < to; i++) {
      if (isActive(i)) {
        grad[i] -= spread * Math.exp(logProb(i));
      }
    }
    spread = 0.0;
  }
}
