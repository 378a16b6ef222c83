package org.defer4j.core.loss;

import org.defer4j.core.task.TaskSpec;

/**
 * The k-independent top-k deferral surrogate, one-stage (survey eqs. 17–19; Montreuil, Carlier, Ng
 * and Ooi 2025, "One-Stage Top-k Learning-to-Defer", arXiv 2505.10160). The entities are the K
 * classes ("the model answers k") and the J experts, with the augmented costs of eq. 17
 *
 * <pre>
 *   c̃_k = a · 1[k ≠ y] + b      (class k; a = α_model · λ_cls, b = β_model)
 *   c̃_j = c_j = α_j · 1[m_j(x) ≠ y] + β_j      (expert j)
 * </pre>
 *
 * and the loss is the complementary-cost comp-sum of eq. 19 over one softmax p of the K + J scores:
 *
 * <pre>
 *   L = Σ_e τ_e Φ^ν(p_e),   τ_e = Σ_{e' ≠ e} c̃_e',   Φ^1 = −log p,  Φ^ν = (1 − p^{ν−1})/(ν − 1).
 * </pre>
 *
 * <p>For ν = 1 the conditional-risk minimiser is p_e ∝ E[τ_e | x] = E[C | x] − E[c̃_e | x] with C =
 * Σ c̃, so the scores are ordered by increasing expected entity cost and the k largest scores are
 * the Bayes top-k set for every k at once (METHODS-2 §0; a test checks this ordering). The survey
 * calls Φ "cross-entropy based" without fixing its member: ν = 1 is that reading; other ν are the
 * comp-sum family's. The paper's exact consistency conditions could not be read.
 *
 * <p>Layout {@link ScoreLayout#CLASSES_AND_EXPERTS}; an expert whose cost is NaN (did not see the
 * case) leaves the softmax and the τ sums. Costs may exceed 1 (fees). Decision: argmax (k = 1);
 * committees take the k largest scores ({@code org.defer4j.core.policy.CommitteeRule}). Trained on
 * a two-stage task (a frozen model), the same loss over the agents is {@code 2s-comp:ν}, which
 * {@link #forTask} returns.
 */
public final class TopKSurrogate extends AbstractSurrogate {
  private final double nu;
  private final Psi psi;
  private final double classError;
  private final double classFee;

  TopKSurrogate(double nu) {
    this(nu, 1.0, 0.0);
  }

  private TopKSurrogate(double nu, double classError, double classFee) {
    super(
        nu == 1.0 ? "topk" : "topk:" + Surrogates.formatNumber(nu),
        ScoreLayout.CLASSES_AND_EXPERTS);
    this.nu = nu;
    this.psi = Psi.ofNu(nu);
    this.classError = classError;
    this.classFee = classFee;
  }

  /** ν ≥ 0. */
  public double nu() {
    return nu;
  }

  /** The cost a of a wrong class entity before the fee (α_model · λ_cls; 1 until bound). */
  public double classError() {
    return classError;
  }

  /** The fee b of every class entity (β_model; 0 until bound). */
  public double classFee() {
    return classFee;
  }

  /**
   * The surrogate for a task: one-stage, with the class entities' cost a = α_model · λ_cls and fee
   * b = β_model read from the task; two-stage (the task names a frozen model), {@code 2s-comp:ν}.
   */
  @Override
  public Surrogate forTask(TaskSpec task) {
    if (task.hasFrozenModel()) {
      return Surrogates.complementaryCost(nu);
    }
    var model = task.agents().get(0);
    double a = model.alpha() * task.cost().classification();
    double b = model.fee();
    return a == classError && b == classFee ? this : new TopKSurrogate(nu, a, b);
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double[] c = costs(t, experts + 1);
    int y = t.label();
    double total = (classes - 1) * classError + classes * classFee;
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(c[j])) {
        total += c[j];
      }
    }
    SoftmaxSets sm = new SoftmaxSets(s, 0, classes + experts, oneStageMask(classes, experts, c));
    double loss = 0.0;
    for (int k = 0; k < classes; k++) {
      double ck = (k == y ? 0.0 : classError) + classFee;
      loss += sm.addSingle(total - ck, psi, k, grad);
    }
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(c[j])) {
        loss += sm.addSingle(total - c[j], psi, classes + j - 1, grad);
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
