package org.defer4j.core.loss;

import org.defer4j.core.math.StableMath;

/**
 * The decoupled multi-expert surrogate (Montreuil, Carlier, Ng and Ooi 2026, "Beyond
 * augmented-action surrogates for multi-expert learning-to-defer", arXiv 2604.09414): a softmax
 * head over the K classes for the class posterior and an independent sigmoid head per expert for
 * its utility, with per-expert weight β = λ/J:
 *
 * <pre>
 *   L = −log softmax_K(s)_y + (λ/J) Σ_j [u_j φ(s_⊥j) + (1 − u_j) φ(−s_⊥j)],   φ(z) = log(1 + e^{−z}),
 * </pre>
 *
 * where u_j ∈ [0, 1] is expert j's utility: its correctness e_j, or 1 − c_j when the target carries
 * costs only. The class and expert blocks do not interact (the class–expert Hessian block is zero),
 * so adding experts neither amplifies nor starves gradients — the augmented K + J softmax
 * pathologies the paper analyses.
 *
 * <p>J is the number of experts in the layout; an unobserved expert's term is dropped (its weight
 * is not redistributed). Decision: predict argmax_k softmax(s)_k unless max_j σ(s_⊥j) exceeds max_k
 * softmax(s)_k, then defer to that expert — <em>not</em> the argmax of the raw scores. σ(s_⊥j)
 * estimates P(m_j = y | x). Layout {@link ScoreLayout#CLASSES_AND_EXPERTS}.
 */
public final class DecoupledSurrogate extends AbstractSurrogate
    implements ExpertCorrectnessSurrogate {
  private final double lambda;

  DecoupledSurrogate(double lambda) {
    super(
        lambda == 1.0 ? "decoupled" : "decoupled:" + Surrogates.formatNumber(lambda),
        ScoreLayout.CLASSES_AND_EXPERTS);
    if (!(lambda > 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("decoupled lambda must be finite and > 0, got " + lambda);
    }
    this.lambda = lambda;
  }

  /** The total expert weight λ (each expert gets λ/J). */
  public double lambda() {
    return lambda;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    SoftmaxSets cls = new SoftmaxSets(s, 0, classes, null);
    double loss = cls.addSingle(1.0, Psi.LOG, t.label(), grad);
    cls.finish(grad);
    double beta = experts == 0 ? 0.0 : lambda / experts;
    for (int j = 1; j <= experts; j++) {
      double u = t.correct(j);
      if (Double.isNaN(u)) {
        continue;
      }
      double z = s[classes + j - 1];
      loss += beta * (u * StableMath.logistic(z) + (1.0 - u) * StableMath.logistic(-z));
      grad[classes + j - 1] = beta * (StableMath.sigmoid(z) - u);
    }
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    checkShape(scores, experts);
    double topClass = Math.exp(-StableMath.logSumExp(scores, 0, classes) + maxOf(scores, classes));
    int best = 0;
    double bestUtility = topClass;
    for (int j = 1; j <= experts; j++) {
      double u = StableMath.sigmoid(scores[classes + j - 1]);
      if (u > bestUtility) {
        bestUtility = u;
        best = j;
      }
    }
    return best;
  }

  private static double maxOf(double[] s, int classes) {
    return s[argmax(s, 0, classes)];
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
