package org.defer4j.core.loss;

import org.defer4j.core.math.StableMath;

/**
 * <b>Experimental, defer4j's own loss</b> (not from a paper): a softmax classifier trained by
 * cross-entropy alone, and one deferral logit d_j per expert trained on the dependence between the
 * model's and the expert's errors. It replaces the former {@code dce}, a reconstruction of Wei, Cao
 * and Feng 2024 that was not Bayes-consistent as a joint loss; this one is, and it keeps that
 * loss's idea (order deferral against the model's own prediction ŷ). With ŷ = argmax_{k &lt; K}
 * s_k, φ(z) = log(1 + e^{−z}) and c_j the cost of expert j (fee + error, any c_j ≥ 0),
 *
 * <pre>
 *   L = −log softmax_K(s)_y + Σ_j [ 1[ŷ ≠ y] φ(d_j) + c_j φ(−d_j) ],     scores (s_1..s_K, d_1..d_J),
 * </pre>
 *
 * <p>and the case goes to argmax_j d_j when that logit is positive, otherwise the model predicts ŷ.
 * With 0-1 costs the pair term reads the four dependence patterns: model wrong and expert right
 * pushes d_j up, model right and expert wrong pushes it down, both wrong pulls it towards 0, both
 * right says nothing.
 *
 * <p><b>Derivation of Bayes-consistency.</b> Fix x, let η = P(y | x) and C_j = E[c_j | x]. The pair
 * term depends on the class scores only through ŷ, so its gradient with respect to them is zero:
 * the class scores are trained by the cross-entropy alone. The conditional risk is
 *
 * <pre>
 *   R(s, d) = CE_η(s) + Σ_j [ (1 − η_ŷ) φ(d_j) + C_j φ(−d_j) ].
 * </pre>
 *
 * (1) CE_η(s) ≥ H(η), with equality iff softmax(s) = η, so ŷ = argmax η (taken unique). (2) For
 * fixed ŷ the j-th bracket is strictly convex in d_j with minimiser d_j* = log((1 − η_ŷ) / C_j) and
 * minimum F(1 − η_ŷ, C_j), F(A, B) = A log((A + B)/A) + B log((A + B)/B); ∂F/∂A = log(1 + B/A) &gt;
 * 0, so F is smallest when η_ŷ is largest, i.e. at ŷ = argmax η. Both parts of R are therefore
 * minimised by the same point, the minimiser is unique up to the softmax shift, and every other top
 * class keeps R at least the cross-entropy gap inf_{argmax s = k} KL(η ‖ softmax s) &gt; 0 above
 * the infimum, so the loss is calibrated. (3) At the minimiser d_j* &gt; 0 iff C_j &lt; 1 − max η,
 * and argmax_j d_j* = argmin_j C_j: the rule defers to the cheapest expert iff it costs less than
 * the model's error, the Bayes rule (survey eq. 3, with fees). The former {@code dce} failed at
 * step (2): its deferral score was compared with s_ŷ itself, so the class scores moved to buy a
 * cheaper pair term. The tests check (1)–(3) at conditional-risk minimisers on random cells with
 * class-dependent expert accuracy, fees and several experts.
 *
 * <p>The loss is piecewise smooth: it jumps where the top class changes. Reads costs (or 1 − e_j);
 * an unobserved expert's term is dropped. Layout {@link ScoreLayout#CLASSES_AND_EXPERTS} with the
 * expert positions holding the deferral logits d_j (not compared with the class scores).
 */
public final class CrossEntropyRejectorSurrogate extends AbstractSurrogate {

  CrossEntropyRejectorSurrogate() {
    super("ce-rejector", ScoreLayout.CLASSES_AND_EXPERTS);
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    int y = t.label();
    SoftmaxSets cls = new SoftmaxSets(s, 0, classes, null);
    double loss = cls.addSingle(1.0, Psi.LOG, y, grad);
    cls.finish(grad);
    double modelWrong = argmax(s, 0, classes) == y ? 0.0 : 1.0;
    for (int j = 1; j <= experts; j++) {
      double c = t.cost(j);
      if (Double.isNaN(c)) {
        continue;
      }
      double d = s[classes + j - 1];
      loss += modelWrong * StableMath.logistic(d) + c * StableMath.logistic(-d);
      grad[classes + j - 1] = -modelWrong * StableMath.sigmoid(-d) + c * StableMath.sigmoid(d);
    }
    return loss;
  }

  /** Defers to argmax_j d_j when it is positive (lowest index on ties), else the model predicts. */
  @Override
  public int route(double[] scores, int classes, int experts) {
    if (experts == 0) {
      return 0;
    }
    int best = argmax(scores, classes, classes + experts);
    return scores[best] > 0 ? best - classes + 1 : 0;
  }
}
