package org.defer4j.core.loss;

/**
 * The two-stage surrogates of Mao, DeSalvo, Mohri and Zhong 2023 ("Two-stage learning to defer with
 * multiple experts", NeurIPS; survey eqs. 9–11), with ℓ_2 the logistic loss −log softmax:
 *
 * <pre>
 *   L = Σ_{j=0}^{J} (1 − c_j) ℓ_2(s̄, j),      c_0 = 1[h(x) ≠ y] (the frozen model's cost).
 * </pre>
 *
 * <ul>
 *   <li>{@code 2s-sb} (score-based, eq. 10): layout {@link ScoreLayout#AGENTS}, s̄ = scores, where
 *       {@code scores[0]} must hold the frozen model's confidence max_y s_h(x, y) (eq. 9) — an
 *       input, not a learned score; its gradient is reported, a trainer keeps it fixed.
 *   <li>{@code 2s-pr} (predictor–rejector, eq. 11): layout {@link ScoreLayout#EXPERT_REJECTORS},
 *       {@code scores[j − 1]} = r_j(x) and s̄ = (0, −r_1, …, −r_J); the model acts when min_j r_j
 *       &gt; 0, otherwise argmin_j r_j.
 * </ul>
 *
 * <p>The conditional-risk minimiser is p̄ ∝ E[1 − c_j | x], so the decision is argmin_j E[c_j | x].
 * Costs must lie in [0, 1]: the weights are the expert rewards 1 − c (survey l.480), a property of
 * the formula, not a limitation of this code; larger costs are refused with a pointer to {@code
 * 2s-comp} (any bounded costs). Dividing the costs by a declared bound C keeps argmin_j E[c_j]; do
 * that in the task's costs. Reads costs or 1 − e_j, so the model's 0-1 cost can be given as its
 * correctness. An unavailable agent is dropped from the softmax.
 */
public final class TwoStageSurrogate extends AbstractSurrogate {
  private final boolean rejector;

  TwoStageSurrogate(boolean rejector) {
    super(
        rejector ? "2s-pr" : "2s-sb", rejector ? ScoreLayout.EXPERT_REJECTORS : ScoreLayout.AGENTS);
    this.rejector = rejector;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    int agents = experts + 1;
    double[] c = costs(t, agents);
    requireUnitCosts(c, 0);
    double[] bar = s;
    double[] gbar = grad;
    if (rejector) {
      bar = new double[agents];
      for (int j = 1; j < agents; j++) {
        bar[j] = -s[j - 1];
      }
      gbar = new double[agents];
    }
    SoftmaxSets sm = new SoftmaxSets(bar, 0, agents, ComplementaryCostSurrogate.agentMask(c));
    double loss = 0.0;
    for (int j = 0; j < agents; j++) {
      if (!Double.isNaN(c[j])) {
        loss += sm.addSingle(1.0 - c[j], Psi.LOG, j, gbar);
      }
    }
    sm.finish(gbar);
    if (rejector) {
      for (int j = 1; j < agents; j++) {
        grad[j - 1] = -gbar[j];
      }
    }
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    if (!rejector) {
      return argmax(scores, 0, experts + 1);
    }
    int best = 0;
    double bestScore = 0.0;
    for (int j = 1; j <= experts; j++) {
      if (-scores[j - 1] > bestScore) {
        bestScore = -scores[j - 1];
        best = j;
      }
    }
    return best;
  }
}
