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
 * <p><b>Negative weight and unboundedness.</b> The first weight Σ_j c_j + 1 − J = 1 − Σ_j (1 − c_j)
 * is negative whenever <b>Σ_j (1 − c_j) &gt; 1</b>: with 0-1 costs on rows where two or more
 * experts are right, but also with fractional costs and no perfect expert, for example c = (0.4,
 * 0.4) gives −0.2. The formula is implemented as published (the golden vectors check it), so with Ψ
 * = −log, 1/u − 1 or q &lt; 0 the loss is <em>unbounded below</em> on such rows: pushing p_y → 0
 * while p_y + p_⊥j → 1 drives it to −∞ (K = 2, J = 2, scores (−t, −t, 0, 0), label 0: L = 0, −4.31,
 * −19.3, −699.3 at t = 0, 5, 20, 700 with both experts right, −139.3 at t = 700 with c = (0.4,
 * 0.4)), and a trainer diverges. MAE stays bounded (≥ 0). Whether Mao et al. also assume at most
 * one correct expert for the one-stage multi-expert guarantees could not be checked (the survey
 * states that assumption only for the two-stage eq. 12).
 *
 * <p><b>Only Ψ = MAE is Bayes-consistent under argmax.</b> With MAE the conditional risk is linear
 * in p, with coefficient η_y on class y and 1 − E[c_j] on expert j, so the minimiser is the Bayes
 * vertex for any costs in [0, 1]. The other links fail, with stochastic <em>and</em> with
 * deterministic experts:
 *
 * <ul>
 *   <li>Ψ = −log with one expert and 0-1 costs is the realizable surrogate, and both of its
 *       counterexamples apply ({@link RealizableSurrogate}): a stochastic expert (η = (½, ½),
 *       expert right 60%: it predicts where the Bayes rule defers) and a deterministic expert g
 *       (the loss is flat along the split between p_g and p_⊥, so a third class can win the argmax:
 *       K = 2, η = (0.6, 0.4), g = 0 predicts class 1);
 *   <li>q ∈ (0, 1): with a deterministic expert and K = 2 the minimiser set has non-Bayes points
 *       iff η_g / η_other &lt; 2^{1 − q} (η = (0.55, 0.45) fails for q = 0.5 and 0.7); with
 *       stochastic class-independent experts a few random cells fail too.
 * </ul>
 *
 * Prefer {@code psi:mae}; with several experts {@code ce} or {@code ova} are consistent
 * alternatives.
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
