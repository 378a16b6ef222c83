package org.defer4j.core.loss;

import org.defer4j.core.math.StableMath;

/**
 * The softmax cross-entropy surrogate L_CE^α (Mozannar and Sontag 2020, "Consistent estimators for
 * learning to defer to an expert") and its multi-expert form (Verma, Barrejón and Nalisnick 2023,
 * survey eq. 7). With p = softmax over the K + J one-stage scores:
 *
 * <pre>
 *   L = −(1 − (1 − α) max_j e_j) log p_y − Σ_j e_j log p_⊥j .
 * </pre>
 *
 * <p>α = 1 gives the consistent loss −log p_y − Σ_j e_j log p_⊥j (survey eq. 7); for one expert and
 * α &lt; 1 it is L_CE^α of Mozannar and Sontag (the class term is down-weighted to α when the
 * expert is right; consistent only for α = 1, α &lt; 1 is their practical variant). The
 * multi-expert α-weight uses the best observed expert: <b>a defer4j extension</b>, not published
 * (the Multi_L2D code uses expert 0's weight); it reduces to theirs for J = 1.
 *
 * <p>Layout {@link ScoreLayout#CLASSES_AND_EXPERTS}; decision argmax. Reads expert correctness e_j;
 * an expert with e_j = NaN is dropped from the softmax. The minimiser of the conditional risk is p
 * ∝ (η_1..η_K, a_1..a_J) with η = P(y | x), a_j = P(m_j = y | x), so P(m_j = y | x) is estimated by
 * p_⊥j / Σ_k p_k (= p_⊥/(1 − p_⊥) for one expert) — consistent, but unbounded: it exceeds 1
 * whenever p_⊥j exceeds the class mass (Verma and Nalisnick 2022).
 */
public final class CrossEntropySurrogate extends AbstractSurrogate
    implements ExpertCorrectnessSurrogate {
  private final double alpha;

  CrossEntropySurrogate(double alpha) {
    super(
        alpha == 1.0 ? "ce" : "ce:" + Surrogates.formatNumber(alpha),
        ScoreLayout.CLASSES_AND_EXPERTS);
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("ce alpha must be in [0, 1], got " + alpha);
    }
    this.alpha = alpha;
  }

  /** The class-term weight α applied when an expert is right. */
  public double alpha() {
    return alpha;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double[] e = correctness(t, experts);
    SoftmaxSets sm = new SoftmaxSets(s, 0, classes + experts, oneStageMask(classes, experts, e));
    double best = 0.0;
    double loss = 0.0;
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(e[j])) {
        best = Math.max(best, e[j]);
        loss += sm.addSingle(e[j], Psi.LOG, classes + j - 1, grad);
      }
    }
    loss += sm.addSingle(1.0 - (1.0 - alpha) * best, Psi.LOG, t.label(), grad);
    sm.finish(grad);
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return routeByArgmax(scores, classes, experts);
  }

  /** p_⊥j / Σ_k p_k = exp(s_⊥j − log Σ_k e^{s_k}); unbounded above. */
  @Override
  public double[] expertCorrectness(double[] scores, int classes, int experts) {
    checkShape(scores, experts);
    double lseClasses = StableMath.logSumExp(scores, 0, classes);
    double[] a = new double[experts];
    for (int j = 0; j < experts; j++) {
      a[j] = Math.exp(scores[classes + j] - lseClasses);
    }
    return a;
  }
}
