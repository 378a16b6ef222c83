package org.defer4j.core.loss;

/**
 * The realizable two-stage Ψ-family (Mao, Mohri and Zhong 2025, "Mastering multiple-expert
 * routing"; survey eq. 12), with the frozen model counted as one of the A agents: p = softmax over
 * the agents' scores and
 *
 * <pre>
 *   L = Σ_j (Σ_{i ≠ j} c_i − A + 2) Ψ(p_j).
 * </pre>
 *
 * <p>Guarantees (survey §5.3, as the survey states them; the paper's body could not be read):
 * realizable R-consistency for 0-1 costs when at most one agent is perfect; R-consistency bounds
 * when Σ_{i≠j} c_i ≥ A − 2 for all j (at most two agents right). That condition is exactly
 * non-negativity of the weights, i.e. Σ_{i≠j} (1 − c_i) ≤ 1 for every j: outside it (three or more
 * correct agents, or fractional costs such as 0.4 for three agents) a weight is negative and, with
 * Ψ = −log, 1/u − 1 or q &lt; 0, the loss is unbounded below on that row — implemented as published
 * and documented, not clipped. Only Ψ = MAE is safe for any costs (its conditional risk is linear
 * in p, so its minimiser is the Bayes vertex); prefer {@code 2s-psi:mae} or {@code 2s-comp} for
 * general costs.
 *
 * <p>Layout {@link ScoreLayout#AGENTS}; reads costs (any c ≥ 0); an unavailable agent is dropped
 * from the sums, from A and from the softmax. Decision: argmax.
 */
public final class TwoStagePsiSurrogate extends AbstractSurrogate {
  private final Psi psi;

  TwoStagePsiSurrogate(Psi psi) {
    super("2s-psi:" + psi.specName(), ScoreLayout.AGENTS);
    this.psi = psi;
  }

  /** The link Ψ. */
  public Psi psi() {
    return psi;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double[] c = costs(t, s.length);
    double total = 0.0;
    int observed = 0;
    for (double cj : c) {
      if (!Double.isNaN(cj)) {
        total += cj;
        observed++;
      }
    }
    SoftmaxSets sm = new SoftmaxSets(s, 0, s.length, ComplementaryCostSurrogate.agentMask(c));
    double loss = 0.0;
    for (int j = 0; j < c.length; j++) {
      if (!Double.isNaN(c[j])) {
        loss += sm.addSingle(total - c[j] - observed + 2.0, psi, j, grad);
      }
    }
    sm.finish(grad);
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return argmax(scores, 0, experts + 1);
  }
}
