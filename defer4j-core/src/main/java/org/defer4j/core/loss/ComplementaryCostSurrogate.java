package org.defer4j.core.loss;

/**
 * The complementary-cost comp-sum surrogate for two-stage routing (survey eq. 16; Montreuil et al.
 * 2025, "Two-stage learning-to-defer for multi-task learning", Lemma 4.3; the comp-sum family of
 * Mao, Mohri and Zhong 2023). With p = softmax over the agents' scores and Φ^ν(j) = Ψ_{ν−1}(p_j),
 *
 * <pre>
 *   L = Σ_j τ_j Φ^ν(j),   τ_j = Σ_{i ≠ j} c_i,
 *   Φ^ν(j) = (1 − p_j^{ν−1}) / (ν − 1)  (ν ≠ 1),   −log p_j  (ν = 1).
 * </pre>
 *
 * <p>ν = 0 is the sum-exponential loss Σ_{k≠j} e^{s_k − s_j}, ν = 1 the logistic loss, ν = 2 MAE.
 * An agent with a low expected cost has a high expected τ, so the conditional-risk minimiser puts
 * its score on top: argmax_j of the minimiser is argmin_j E[c_j | x] for every ν ≥ 0 and any
 * bounded costs, which is why one loss serves classification, regression, multi-task, QA and LLM
 * routing.
 *
 * <p>Computed in log space: p_j^{ν−1} = exp((ν − 1) log p_j). For ν &lt; 1 the loss grows like
 * exp((1 − ν) · score gap) and overflows (an {@link ArithmeticException}) once the gap passes ≈
 * 709/(1 − ν); ν ≥ 1 is finite for any finite scores. Layout {@link ScoreLayout#AGENTS}; reads
 * costs (any c ≥ 0); an unavailable agent is dropped from the softmax and the τ sums. Decision:
 * argmax.
 */
public final class ComplementaryCostSurrogate extends AbstractSurrogate {
  private final double nu;
  private final Psi psi;

  ComplementaryCostSurrogate(double nu) {
    super("2s-comp:" + Surrogates.formatNumber(nu), ScoreLayout.AGENTS);
    this.psi = Psi.ofNu(nu);
    this.nu = nu;
  }

  /** ν ≥ 0. */
  public double nu() {
    return nu;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double[] c = costs(t, s.length);
    boolean[] active = agentMask(c);
    double total = 0.0;
    for (int j = 0; j < c.length; j++) {
      if (!Double.isNaN(c[j])) {
        total += c[j];
      }
    }
    SoftmaxSets sm = new SoftmaxSets(s, 0, s.length, active);
    double loss = 0.0;
    for (int j = 0; j < c.length; j++) {
      if (!Double.isNaN(c[j])) {
        loss += sm.addSingle(total - c[j], psi, j, grad);
      }
    }
    sm.finish(grad);
    return loss;
  }

  /** The mask of agents with a cost; null when all have one. */
  static boolean[] agentMask(double[] c) {
    boolean[] active = null;
    for (int j = 0; j < c.length; j++) {
      if (Double.isNaN(c[j])) {
        if (active == null) {
          active = new boolean[c.length];
          java.util.Arrays.fill(active, true);
        }
        active[j] = false;
      }
    }
    return active;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return argmax(scores, 0, experts + 1);
  }
}
