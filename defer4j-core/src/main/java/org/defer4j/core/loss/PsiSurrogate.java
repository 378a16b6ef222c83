package org.defer4j.core.loss;

/**
 * The realizable / unified Ψ-family of Mao, Mohri and Zhong: survey eq. 6 for one expert
 * ("Realizable H-consistent and Bayes-consistent loss functions for learning to defer", NeurIPS
 * 2024) and eq. 8 for J experts ("Mastering multiple-expert routing", ICML 2025). With p = softmax
 * over the K + J scores and c_j ∈ [0, 1] the cost of expert j,
 *
 * <pre>
 *   L = (Σ_j c_j + 1 − J) Ψ(p_y) + Σ_j (1 − c_j) Ψ(p_y + p_⊥j).
 * </pre>
 *
 * <p>It comes from rewriting the target loss 1[a ∈ Y, a ≠ y] + Σ_j c_j 1[a = ⊥_j] of the action a
 * as (Σ_j c_j + 1 − J) 1[a ≠ y] + Σ_j (1 − c_j) 1[a ∉ {y, ⊥_j}] and replacing each indicator 1[a ∉
 * S] by Ψ(Σ_{a ∈ S} p_a). For J = 1 the first weight is c ≥ 0 (eq. 6).
 *
 * <p><b>Negative weight with several experts.</b> The first weight Σ_j c_j + 1 − J is negative on
 * rows where two or more experts are right (with 0-1 costs: it equals 1 − #correct experts). The
 * formula is implemented as published (the golden vectors check it), so with an unbounded link (Ψ =
 * −log, 1/u − 1) the loss is <em>unbounded below</em> on such rows: pushing p_y → 0 while p_y +
 * p_⊥j → 1 drives it to −∞, and a trainer would diverge. The bounded links (MAE 1 − u, (1 − u^q)/q
 * with q &gt; 0) keep it bounded; Mao et al.'s guarantees for the multi-expert case are stated for
 * such Ψ and, for realizability, for cases with at most one correct expert. Prefer {@code psi:mae}
 * with several experts, or {@code realizable}, whose set construction has no negative weight.
 *
 * <p><b>Ψ = −log is not Bayes-consistent under argmax.</b> For one expert and 0-1 costs, {@code
 * psi:log} is the realizable surrogate, and the counterexample documented on {@link
 * RealizableSurrogate} applies: the conditional-risk minimiser can predict where the Bayes rule
 * defers. The bounded links (MAE, q ∈ (0, 1]) pass this module's consistency tests, matching the
 * conditions under which Mao et al. state their H-consistency bounds.
 *
 * <p>Reads costs (or 1 − e_j); costs must lie in [0, 1]. An unavailable expert is dropped from the
 * sums, from J and from the softmax. Layout {@link ScoreLayout#CLASSES_AND_EXPERTS}; decision
 * argmax.
 */
public final class PsiSurrogate extends AbstractSurrogate {
  private final Psi psi;

  PsiSurrogate(Psi psi) {
    super("psi:" + psi.specName(), ScoreLayout.CLASSES_AND_EXPERTS);
    this.psi = psi;
  }

  /** The link Ψ. */
  public Psi psi() {
    return psi;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double[] c = costs(t, experts + 1);
    requireUnitCosts(c, 1);
    SoftmaxSets sm = new SoftmaxSets(s, 0, classes + experts, oneStageMask(classes, experts, c));
    int y = t.label();
    int[] pair = {y, 0};
    double first = 1.0;
    double loss = 0.0;
    for (int j = 1; j <= experts; j++) {
      if (Double.isNaN(c[j])) {
        continue;
      }
      first += c[j] - 1.0;
      pair[1] = classes + j - 1;
      loss += sm.addSet(1.0 - c[j], psi, pair, null, 2, grad);
    }
    loss += sm.addSingle(first, psi, y, grad);
    sm.finish(grad);
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return routeByArgmax(scores, classes, experts);
  }
}
