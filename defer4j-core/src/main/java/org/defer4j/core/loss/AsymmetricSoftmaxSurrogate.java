package org.defer4j.core.loss;

import org.defer4j.core.math.StableMath;

/**
 * The asymmetric softmax surrogate (Cao, Mozannar, Feng, Wei and An 2023, "In defense of softmax
 * parametrization for calibrated and consistent learning to defer", NeurIPS). The classes use the
 * softmax over the K class scores, the expert its own asymmetric ratio:
 *
 * <pre>
 *   ψ_y  = e^{s_y} / Σ_{k &lt; K} e^{s_k},
 *   ψ_⊥j = e^{s_⊥j} / (e^{s_⊥j} + Σ_{k &lt; K} e^{s_k} − max_{k &lt; K} e^{s_k}),
 *   L    = −log ψ_y − Σ_j [e_j log ψ_⊥j + (1 − e_j) log(1 − ψ_⊥j)].
 * </pre>
 *
 * <p>For one expert the denominator of ψ_⊥ equals Σ_{all K+1} e^{s} − max_{k&lt;K} e^{s_k}, which
 * is the paper's definition (and the formula of the golden vectors). Writing D = log Σ_{k ≠ k*}
 * e^{s_k} (k* the top class), ψ_⊥j = σ(s_⊥j − D), so the expert part is a binary logistic loss on
 * s_⊥j − D: ψ_⊥j ∈ (0, 1) is a bounded, calibrated estimate of P(m_j = y | x), and s_⊥j &gt; max_k
 * s_k ⟺ ψ_⊥j &gt; max_k ψ_k, so the decision is the plain argmax of the scores. Several experts use
 * the same construction per expert (our extension; each ψ_⊥j is monotone in s_⊥j with the same
 * offset D, so argmax over experts is preserved). Needs K ≥ 2. Layout {@link
 * ScoreLayout#CLASSES_AND_EXPERTS}; an unobserved expert's term is dropped.
 */
public final class AsymmetricSoftmaxSurrogate extends AbstractSurrogate
    implements ExpertCorrectnessSurrogate {

  AsymmetricSoftmaxSurrogate() {
    super("asym-softmax", ScoreLayout.CLASSES_AND_EXPERTS);
  }

  @Override
  int minClasses() {
    return 2;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    SoftmaxSets cls = new SoftmaxSets(s, 0, classes, null);
    double loss = cls.addSingle(1.0, Psi.LOG, t.label(), grad);
    cls.finish(grad);
    int top = argmax(s, 0, classes);
    double d = StableMath.logSumExpExcept(s, 0, classes, top);
    for (int j = 1; j <= experts; j++) {
      double e = t.correct(j);
      if (Double.isNaN(e)) {
        continue;
      }
      int idx = classes + j - 1;
      double z = s[idx] - d;
      loss += e * StableMath.logistic(z) + (1.0 - e) * StableMath.logistic(-z);
      double g = StableMath.sigmoid(z) - e;
      grad[idx] += g;
      for (int k = 0; k < classes; k++) {
        if (k != top) {
          grad[k] -= g * Math.exp(s[k] - d);
        }
      }
    }
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return routeByArgmax(scores, classes, experts);
  }

  /** ψ_⊥j = σ(s_⊥j − log Σ_{k ≠ k*} e^{s_k}) ∈ (0, 1). */
  @Override
  public double[] expertCorrectness(double[] scores, int classes, int experts) {
    checkShape(scores, experts);
    double d = StableMath.logSumExpExcept(scores, 0, classes, argmax(scores, 0, classes));
    double[] a = new double[experts];
    for (int j = 0; j < experts; j++) {
      a[j] = StableMath.sigmoid(scores[classes + j] - d);
    }
    return a;
  }
}
