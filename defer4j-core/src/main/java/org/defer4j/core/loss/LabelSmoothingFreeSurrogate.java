package org.defer4j.core.loss;

/**
 * <b>A reconstruction, not the paper's loss:</b> a label-smoothing-free cross-entropy surrogate for
 * deferral with consultation fees, written by defer4j after the description of Liu, Cao, Zhang,
 * Feng and An 2024 ("Mitigating underfitting in learning to defer with consistent losses", AISTATS;
 * survey §5.2.1).
 *
 * <p>Why: the cost-sensitive reduction behind {@code ce} weights each action a by M − c_a with M =
 * max_a c_a. With a fee, the expert's cost c_j = fee + error can exceed 1, so M &gt; 1 and every
 * wrong class receives the weight M − 1 — a uniform label-smoothing term that flattens the
 * classifier as the fee grows (Liu et al.'s diagnosis). This loss moves that mass onto the model's
 * own current prediction ŷ = argmax_{k &lt; K} s_k instead of spreading it over all classes:
 *
 * <pre>
 *   M = max(1, max_j c_j),
 *   L = −log p_y − Σ_j (M − c_j) log p_⊥j − (M − 1) log p_ŷ,     p = softmax over K + J scores.
 * </pre>
 *
 * <p>Consistency (checked by this module's tests on discrete distributions): the conditional risk
 * is a weighted cross-entropy whose minimiser is p ∝ expected weights, η_k + 1[k = ŷ] E[M − 1] for
 * class k and E[M] − E[c_j] for expert j; the extra mass only reinforces the top class, so ŷ =
 * argmax η at the optimum, and deferring to j beats predicting iff E[c_j] &lt; 1 − max_k η_k and
 * E[c_j] is the smallest — the Bayes rule (survey eq. 3, with fees). For one expert with c ≤ 1 the
 * loss equals {@code ce} with e = 1 − c.
 *
 * <p><b>Spurious stationary points.</b> The global minimiser above is the Bayes rule (every random
 * cell checked), but the extra mass (M − 1) sits on whichever class is on top, so each top class k
 * has its own smooth piece, whose minimiser gives class k the weight η_k + E[M − 1]. When that
 * exceeds max η (a class within E[M − 1] of the best), the piece has a local minimum with the
 * <em>wrong</em> class on top, and gradient training that once puts that class ahead stays there.
 * This is common: about 4 in 10 random cells in a numeric scan. Example (tested): K = 3, η = (0.4,
 * 0.1, 0.5), per-class expert accuracy (0.2, 1, 0.5), fee 0.3: E[M − 1] = 0.171, and the piece with
 * class 0 on top has a minimum at s_0 − s_2 = log(0.571 / 0.5), predicting class 0 (risk 0.6) where
 * the Bayes rule predicts class 2 (risk 0.5). Consistency holds for the global minimiser only;
 * start from small scores.
 *
 * <p><b>Provenance.</b> The paper's exact equation could not be retrieved while this was written;
 * this is defer4j's reconstruction from the survey's description ("applying the cost penalty in a
 * targeted, non-uniform manner, using the model's own intermediate prediction"), with the
 * consistency property above tested. The paper says its construction "can be combined with" several
 * base losses, so it is probably more general than this one cross-entropy formula; do not quote
 * this as L_LSF of Liu et al. 2024.
 *
 * <p>Reads costs (or 1 − e_j), any c_j ≥ 0; unavailable experts are dropped from M and the softmax.
 * The loss is piecewise smooth: it jumps where the top class changes. Layout {@link
 * ScoreLayout#CLASSES_AND_EXPERTS}; decision argmax.
 */
public final class LabelSmoothingFreeSurrogate extends AbstractSurrogate {

  LabelSmoothingFreeSurrogate() {
    super("lsf", ScoreLayout.CLASSES_AND_EXPERTS);
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double[] c = costs(t, experts + 1);
    double m = 1.0;
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(c[j])) {
        m = Math.max(m, c[j]);
      }
    }
    SoftmaxSets sm = new SoftmaxSets(s, 0, classes + experts, oneStageMask(classes, experts, c));
    double loss = sm.addSingle(1.0, Psi.LOG, t.label(), grad);
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(c[j])) {
        loss += sm.addSingle(m - c[j], Psi.LOG, classes + j - 1, grad);
      }
    }
    loss += sm.addSingle(m - 1.0, Psi.LOG, argmax(s, 0, classes), grad);
    sm.finish(grad);
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return routeByArgmax(scores, classes, experts);
  }
}
