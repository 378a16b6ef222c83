package org.defer4j.core.loss;

import org.defer4j.core.math.StableMath;

/**
 * The one-vs-all surrogate (Verma and Nalisnick 2022, "Calibrated learning to defer with one-vs-all
 * classifiers"; multi-expert form Verma, Barrejón and Nalisnick 2023), with φ(z) = log(1 + e^{−z}):
 *
 * <pre>
 *   L = φ(s_y) + Σ_{k &lt; K, k ≠ y} φ(−s_k) + Σ_j [e_j φ(s_⊥j) + (1 − e_j) φ(−s_⊥j)].
 * </pre>
 *
 * <p>Each score is its own binary logistic problem, so σ(s_⊥j) is a calibrated estimate of P(m_j =
 * y | x) bounded in (0, 1), and σ(s_k) of P(y = k | x). Layout {@link
 * ScoreLayout#CLASSES_AND_EXPERTS}; decision argmax (σ is monotone). An unobserved expert's term is
 * dropped.
 */
public final class OneVsAllSurrogate extends AbstractSurrogate
    implements ExpertCorrectnessSurrogate {

  OneVsAllSurrogate() {
    super("ova", ScoreLayout.CLASSES_AND_EXPERTS);
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    int y = t.label();
    double loss = 0.0;
    for (int k = 0; k < classes; k++) {
      if (k == y) {
        loss += StableMath.logistic(s[k]);
        grad[k] = StableMath.sigmoid(s[k]) - 1.0;
      } else {
        loss += StableMath.logistic(-s[k]);
        grad[k] = StableMath.sigmoid(s[k]);
      }
    }
    for (int j = 1; j <= experts; j++) {
      double e = t.correct(j);
      if (Double.isNaN(e)) {
        continue;
      }
      double z = s[classes + j - 1];
      loss += e * StableMath.logistic(z) + (1.0 - e) * StableMath.logistic(-z);
      grad[classes + j - 1] = StableMath.sigmoid(z) - e;
    }
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return routeByArgmax(scores, classes, experts);
  }

  /** σ(s_⊥j) ∈ (0, 1). */
  @Override
  public double[] expertCorrectness(double[] scores, int classes, int experts) {
    checkShape(scores, experts);
    double[] a = new double[experts];
    for (int j = 0; j < experts; j++) {
      a[j] = StableMath.sigmoid(scores[classes + j]);
    }
    return a;
  }
}
