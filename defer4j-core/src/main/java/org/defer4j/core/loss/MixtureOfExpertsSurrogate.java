package org.defer4j.core.loss;

import org.defer4j.core.math.StableMath;

/**
 * The mixture-of-experts loss of Madras, Pitassi and Zemel 2018 ("Predict responsibly: improving
 * fairness and accuracy by learning to defer"), the baseline of Mozannar and Sontag 2020 and
 * Mozannar et al. 2023: a gate chooses between the classifier and the experts, and the loss is the
 * gate-weighted average of their losses,
 *
 * <pre>
 *   π = softmax(0, s_⊥1, …, s_⊥J),
 *   L = π_0 · (−log softmax_K(s)_y) + Σ_j π_j c_j .
 * </pre>
 *
 * <p>For one expert π_1 = σ(s_⊥), exactly the baseline in clinicalml/human_ai_deferral (which uses
 * log base 2 and c = 1 − e); several experts share one softmax gate with the model's gate logit
 * fixed at 0 (our generalisation). Not consistent in general — it is here for comparison.
 *
 * <p>Layout {@link ScoreLayout#CLASSES_AND_EXPERTS}; decision: defer to argmax_j s_⊥j when that
 * score is positive (π_j &gt; π_0), otherwise predict argmax_k s_k. Reads costs (or 1 − e_j), any c
 * ≥ 0; an unavailable expert is dropped from the gate.
 */
public final class MixtureOfExpertsSurrogate extends AbstractSurrogate {

  MixtureOfExpertsSurrogate() {
    super("moe", ScoreLayout.CLASSES_AND_EXPERTS);
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    int y = t.label();
    double lseClasses = StableMath.logSumExp(s, 0, classes);
    double ce = lseClasses - s[y];
    double[] c = costs(t, experts + 1);
    double max = 0.0;
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(c[j])) {
        max = Math.max(max, s[classes + j - 1]);
      }
    }
    double z = Math.exp(-max);
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(c[j])) {
        z += Math.exp(s[classes + j - 1] - max);
      }
    }
    double logZ = max + Math.log(z);
    double pi0 = Math.exp(-logZ);
    double loss = pi0 * ce;
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(c[j])) {
        loss += Math.exp(s[classes + j - 1] - logZ) * c[j];
      }
    }
    for (int k = 0; k < classes; k++) {
      grad[k] = pi0 * (Math.exp(s[k] - lseClasses) - (k == y ? 1.0 : 0.0));
    }
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(c[j])) {
        int idx = classes + j - 1;
        grad[idx] = Math.exp(s[idx] - logZ) * (c[j] - loss);
      }
    }
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    if (experts == 0) {
      return 0;
    }
    int best = argmax(scores, classes, classes + experts);
    return scores[best] > 0 ? best - classes + 1 : 0;
  }
}
