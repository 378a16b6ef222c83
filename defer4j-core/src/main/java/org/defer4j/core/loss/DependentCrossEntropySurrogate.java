package org.defer4j.core.loss;

import org.defer4j.core.math.StableMath;

/**
 * A dependent cross-entropy surrogate after Wei, Cao and Feng 2024 ("Exploiting human-AI dependence
 * for learning to defer", ICML; survey §5.4), for one expert.
 *
 * <p>Dependent Bayes optimality: defer iff P(model wrong, expert right | x) &gt; P(model right,
 * expert wrong | x), the model's answer being ŷ. The loss trains the classifier with the K-class
 * cross-entropy and orders the deferral score against the model's own prediction score only on the
 * two informative dependence patterns (φ(z) = log(1 + e^{−z}), ŷ = argmax_{k &lt; K} s_k):
 *
 * <pre>
 *   L = −log softmax_K(s)_y + 1[ŷ ≠ y] e φ(s_⊥ − s_ŷ) + 1[ŷ = y] (1 − e) φ(s_ŷ − s_⊥).
 * </pre>
 *
 * <p>Given ŷ, the conditional risk of the pairwise part is minimised at s_⊥ − s_ŷ = log(P(ŷ wrong,
 * m right) / P(ŷ right, m wrong)), positive iff P(m = y) &gt; P(y = ŷ): with the classifier at the
 * posterior, the argmax of the scores follows the (dependent = standard) Bayes rule; cases where
 * both or neither are right carry no deferral signal.
 *
 * <p><b>Provenance and a known limitation.</b> The paper's exact equation could not be retrieved
 * while this was written; this is our reconstruction from the principle stated in the survey. Wei
 * et al. prove their loss consistent; this reconstruction is only partly so: because the pairwise
 * term's optimal value depends on which class is on top, the joint minimiser of the conditional
 * risk can pull the class scores to a tie with a wrong class (observed on η = (0.36, 0.05, 0.59)),
 * so it is not Bayes-consistent for the class prediction near such configurations. The tests check
 * the deferral rule with the classifier at the posterior. Replace it with Wei et al.'s equation
 * before relying on it.
 *
 * <p>Reads correctness e (or 1 − c); single expert; an unobserved expert leaves the classifier
 * cross-entropy alone. Piecewise smooth: it jumps where the top class changes. Layout {@link
 * ScoreLayout#CLASSES_AND_EXPERTS}.
 */
public final class DependentCrossEntropySurrogate extends AbstractSurrogate {

  DependentCrossEntropySurrogate() {
    super("dce", ScoreLayout.CLASSES_AND_EXPERTS);
  }

  @Override
  boolean multipleExperts() {
    return false;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    int y = t.label();
    SoftmaxSets cls = new SoftmaxSets(s, 0, classes, null);
    double loss = cls.addSingle(1.0, Psi.LOG, y, grad);
    cls.finish(grad);
    if (experts == 0) {
      return loss;
    }
    double e = t.correct(1);
    if (Double.isNaN(e)) {
      return loss;
    }
    int top = argmax(s, 0, classes);
    int defer = classes;
    double z = s[defer] - s[top];
    if (top != y) {
      loss += e * StableMath.logistic(z);
      double g = -e * StableMath.sigmoid(-z);
      grad[defer] += g;
      grad[top] -= g;
    } else {
      loss += (1.0 - e) * StableMath.logistic(-z);
      double g = (1.0 - e) * StableMath.sigmoid(z);
      grad[defer] += g;
      grad[top] -= g;
    }
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return routeByArgmax(scores, classes, experts);
  }
}
