package org.defer4j.core.loss;

/**
 * A generic plug-in cost regression, in the spirit of the post-hoc estimators of Narasimhan,
 * Jitkrittum, Menon, Rawat and Kumar 2022 ("Post-hoc estimators for learning to defer to an
 * expert", NeurIPS) but <b>not their estimator</b> (theirs trains a deferral function on top of a
 * base model with a partial surrogate of the deferral loss): one regression per agent of its cost,
 * fitted jointly by masked squared error,
 *
 * <pre>
 *   L = ½ Σ_{j available} (s_j + c_j)²,   ∂L/∂s_j = s_j + c_j  (0 for an unavailable agent).
 * </pre>
 *
 * <p>The conditional-risk minimiser is s_j(x) = −E[c_j | x] for each agent separately, so the
 * {@link ScoreLayout#AGENTS} argmax route is argmin_j of the estimated expected cost: the two-stage
 * Bayes rule with the estimates plugged in (seed paper Lemma 4.2). Unlike the complementary-cost
 * surrogates, the agents' scores do not compete in a softmax; each is an independent estimate,
 * which is what "plug-in" means. Reads costs (any c ≥ 0); finite for any finite scores.
 */
public final class PluginSurrogate extends AbstractSurrogate {
  PluginSurrogate() {
    super("plugin", ScoreLayout.AGENTS);
  }

  @Override
  double compute(double[] s, Target t, int classes, int experts, double[] grad) {
    double loss = 0.0;
    for (int j = 0; j < s.length; j++) {
      double c = t.cost(j);
      if (!Double.isNaN(c)) {
        double r = s[j] + c;
        loss += 0.5 * r * r;
        grad[j] = r;
      }
    }
    return loss;
  }

  @Override
  public int route(double[] scores, int classes, int experts) {
    return argmax(scores, 0, experts + 1);
  }
}
