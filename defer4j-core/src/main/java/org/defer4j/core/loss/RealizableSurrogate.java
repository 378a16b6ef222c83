package org.defer4j.core.loss;

/**
 * The realizable surrogate L_RS (Mozannar, Lang, Wei, Sattigeri, Das and Sontag 2023, "Who should
 * predict? Exact algorithms for learning to defer to humans", AISTATS). With p = softmax over the K
 * + J scores and 0-1 expert correctness e_j,
 *
 * <pre>
 *   L = −α log(p_y + Σ_j e_j p_⊥j) − (1 − α) log(e^{s_y} / Σ_{k &lt; K} e^{s_k}).
 * </pre>
 *
 * <p>α = 1 ({@code realizable}) with J = 1 is the paper's loss and the golden formula: the expert's
 * correctness acts inside the logarithm, so the loss can reach 0 whenever some correct option (the
 * true class or a correct expert) takes all the mass — the property behind realizable H-consistency
 * for hypothesis classes closed under scaling. α &lt; 1 mixes in the plain classifier
 * cross-entropy, as the authors' code does (their code uses log base 2, a constant factor).
 *
 * <p><b>defer4j's extensions.</b> (a) J &gt; 1 experts by the same set construction is not
 * published; it fails when experts agree (two deterministic experts both answering 0 where η =
 * (0.6, 0.4): zero-initialised descent ends at p = (0.2, 0.4, 0.2, 0.2) and predicts class 1). (b)
 * Soft correctness e_j ∈ (0, 1) (for example 1 − c_j with fractional costs) is read as the
 * probability that expert j is right, independently per expert, and the loss is the
 * <em>expectation</em> of the 0-1 loss over those draws: for one expert −e log(p_y + p_⊥) − (1 − e)
 * log p_y, which is {@code psi:log} with c = 1 − e. Soft targets therefore train exactly as 0-1
 * targets with the same mean. The expectation has 2^s terms for s soft experts on a row; more than
 * {@value #MAX_SOFT_EXPERTS} soft experts on one row are refused.
 *
 * <p><b>Not Bayes-consistent under argmax</b>, whatever the survey's summary says, and not only
 * with stochastic experts:
 *
 * <ul>
 *   <li>stochastic expert: η = (½, ½), expert right 60% of the time whatever the class; the
 *       minimiser is p = (0.4, 0.4, 0.2) and predicts where the Bayes rule defers (excess 0.05 on
 *       {@code SyntheticCounterexamples.realizable()});
 *   <li>deterministic expert (cost 1[g(x) ≠ y]): deferring and predicting g cost the same, so the
 *       loss is flat along the split between p_g and p_⊥ and a third class can win the argmax. K =
 *       2, η = (0.6, 0.4), g = 0: every p = (t, 0.4, 0.6 − t) has the minimal risk 0.67301, class 1
 *       wins for t ∈ (0.2, 0.4), and zero-initialised descent ends at p = (0.3, 0.4, 0.3) (target
 *       0.6 against Bayes 0.4).
 * </ul>
 *
 * α &lt; 1 removes the deterministic tie (the class term fixes the class ratio) but not the
 * stochastic failure. Use {@code psi:mae}, the member of the Ψ-family that is Bayes-consistent
 * under argmax. Layout {@link ScoreLayout#CLASSES_AND_EXPERTS}; decision argmax; an unobserved
 * expert is dropped from the softmax.
 */
public final class RealizableSurrogate extends AbstractSurrogate {
  /** The most experts with soft correctness on one row (the expectation has 2^s terms). */
  public static final int MAX_SOFT_EXPERTS = 10;

  private final double alpha;

  RealizableSurrogate(double alpha) {
    super(
        alpha == 1.0 ? "realizable" : "realizable:" + Surrogates.formatNumber(alpha),
        ScoreLayout.CLASSES_AND_EXPERTS);
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("realizable alpha must be in [0, 1], got " + alpha);
    }
    this.alpha = alpha;
  }

  /** The weight of the realizable term. */
  public double alpha() {
    return alpha;
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double[] e = correctness(t, experts);
    int[] set = new int[experts + 1];
    int[] soft = new int[experts];
    set[0] = t.label();
    int hard = 1;
    int nSoft = 0;
    for (int j = 1; j <= experts; j++) {
      if (Double.isNaN(e[j]) || e[j] <= 0) {
        continue;
      }
      if (e[j] >= 1) {
        set[hard++] = classes + j - 1;
      } else {
        soft[nSoft++] = j;
      }
    }
    if (nSoft > MAX_SOFT_EXPERTS) {
      throw new IllegalArgumentException(
          name()
              + " takes its expectation over soft expert correctness (2^s terms); this row has "
              + nSoft
              + " experts with correctness strictly between 0 and 1, more than "
              + MAX_SOFT_EXPERTS
              + "; round the correctness or use psi:mae or ce");
    }
    double loss = 0.0;
    if (alpha > 0) {
      SoftmaxSets all = new SoftmaxSets(s, 0, classes + experts, oneStageMask(classes, experts, e));
      for (int pattern = 0; pattern < (1 << nSoft); pattern++) {
        double w = alpha;
        int n = hard;
        for (int i = 0; i < nSoft; i++) {
          int j = soft[i];
          if (((pattern >> i) & 1) == 1) {
            w *= e[j];
            set[n++] = classes + j - 1;
          } else {
            w *= 1.0 - e[j];
          }
        }
        loss += all.addSet(w, Psi.LOG, set, null, n, grad);
      }
      all.finish(grad);
    }
    if (alpha < 1) {
      SoftmaxSets cls = new SoftmaxSets(s, 0, classes, null);
      loss += cls.addSingle(1.0 - alpha, Psi.LOG, t.label(), grad);
      cls.finish(grad);
    }
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return routeByArgmax(scores, classes, experts);
  }
}
