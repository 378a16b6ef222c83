package org.defer4j.core.loss;

/**
 * The general cost-sensitive score-based surrogate (survey eq. 4; Charusaie et al. 2022 for one
 * expert, Mao, Mohri and Zhong 2024 "Principled approaches for learning to defer with multiple
 * experts" for J experts), built on a comp-sum loss Ψ over the K + J softmax p:
 *
 * <pre>
 *   L = Ψ(p_y) + Σ_j (1 − c_j) Ψ(p_⊥j),     c_j ∈ [0, 1] the cost of deferring to expert j.
 * </pre>
 *
 * <p>With Ψ = −log and c_j = 1 − e_j this is {@code ce}. Reads costs (or 1 − e_j when the target
 * has none); an unavailable expert (NaN) is dropped from the softmax. Costs above 1 are rejected:
 * the weight 1 − c_j would be negative (use {@code lsf} for fees that push costs above 1, or scale
 * costs). Layout {@link ScoreLayout#CLASSES_AND_EXPERTS}; decision argmax.
 */
public final class CostSensitiveSurrogate extends AbstractSurrogate {
  private final Psi psi;

  CostSensitiveSurrogate(Psi psi) {
    super(
        psi.equals(Psi.LOG) ? "cost-sensitive" : "cost-sensitive:" + psi.specName(),
        ScoreLayout.CLASSES_AND_EXPERTS);
    this.psi = psi;
  }

  /** The comp-sum link. */
  public Psi psi() {
    return psi;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double[] c = costs(t, experts + 1);
    requireUnitCosts(c, 1);
    SoftmaxSets sm = new SoftmaxSets(s, 0, classes + experts, oneStageMask(classes, experts, c));
    double loss = sm.addSingle(1.0, psi, t.label(), grad);
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(c[j])) {
        loss += sm.addSingle(1.0 - c[j], psi, classes + j - 1, grad);
      }
    }
    sm.finish(grad);
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return routeByArgmax(scores, classes, experts);
  }
}
