package org.defer4j.core.loss;

/**
 * The realizable surrogate L_RS (Mozannar, Lang, Wei, Sattigeri, Das and Sontag 2023, "Who should
 * predict? Exact algorithms for learning to defer to humans", AISTATS), extended to J experts by
 * the same construction: with p = softmax over the K + J scores,
 *
 * <pre>
 *   L = −α log(p_y + Σ_j e_j p_⊥j) − (1 − α) log(e^{s_y} / Σ_{k &lt; K} e^{s_k}).
 * </pre>
 *
 * <p>α = 1 ({@code realizable}) is the paper's loss and the golden formula: the expert's
 * correctness acts inside the logarithm, so the loss can reach 0 whenever some correct option (the
 * true class or a correct expert) takes all the mass — the property behind realizable H-consistency
 * for hypothesis classes closed under scaling; Mao et al. 2024 proved it also Bayes-consistent. α
 * &lt; 1 mixes in the plain classifier cross-entropy, as the authors' code does (their code uses
 * log base 2, a constant factor). Layout {@link ScoreLayout#CLASSES_AND_EXPERTS}; decision argmax;
 * an unobserved expert is dropped from the softmax.
 */
public final class RealizableSurrogate extends AbstractSurrogate {
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
    double[] member = new double[experts + 1];
    set[0] = t.label();
    member[0] = 1.0;
    int n = 1;
    for (int j = 1; j <= experts; j++) {
      if (!Double.isNaN(e[j]) && e[j] > 0) {
        set[n] = classes + j - 1;
        member[n] = e[j];
        n++;
      }
    }
    double loss = 0.0;
    if (alpha > 0) {
      SoftmaxSets all = new SoftmaxSets(s, 0, classes + experts, oneStageMask(classes, experts, e));
      loss += all.addSet(alpha, Psi.LOG, set, member, n, grad);
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
