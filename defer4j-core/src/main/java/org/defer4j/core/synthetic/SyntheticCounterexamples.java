package org.defer4j.core.synthetic;

/**
 * Small {@link DiscreteDeferralProblem}s on which a surrogate's conditional-risk minimiser is known
 * by hand to differ from the Bayes rule (two equally likely cells, two classes, one expert without
 * fee; decisions 0 and 1 predict a class, 2 defers).
 */
public final class SyntheticCounterexamples {
  private SyntheticCounterexamples() {}

  /**
   * Where the mixture-of-experts loss of Madras et al. 2018 fails. Its conditional risk π_0 ·
   * E[−log p_y] + π_⊥ · E[c] (π = softmax(0, s_⊥)) is linear in the gate, and the classifier's part
   * is minimised at p = η with value H(η), the entropy in nats; so its minimiser defers iff E[c] =
   * 1 − q &lt; H(η), while the Bayes rule defers iff 1 − q &lt; 1 − max η. Since H(η) ≥ 1 − max η,
   * it defers too often (Mozannar &amp; Sontag 2020 show the loss is not consistent).
   *
   * <ul>
   *   <li>cell 0: η = (0.8, 0.2), q = 0.6: H = 0.500 &gt; 0.4 &gt; 0.2: the Bayes rule predicts
   *       class 0 (risk 0.2), moe defers (risk 0.4);
   *   <li>cell 1: η = (0.5, 0.5), q = 0.9: both defer.
   * </ul>
   *
   * The excess risk of the moe minimiser is (0.4 − 0.2) / 2 = 0.1.
   */
  public static DiscreteDeferralProblem mixtureOfExperts() {
    return new DiscreteDeferralProblem(
        new double[][] {{0.8, 0.2}, {0.5, 0.5}}, new double[][] {{0.6}, {0.9}}, new double[] {0});
  }

  /**
   * Where L_RS (Mozannar et al. 2023) and the Ψ = −log member of the Ψ-family fail with a
   * stochastic expert.
   *
   * <ul>
   *   <li>cell 0: η = (½, ½), the expert right with probability 0.6 whatever the class: the Bayes
   *       rule defers (0.4 &lt; 0.5). By symmetry and convexity the L_RS minimiser has p_0 = p_1 =
   *       a, p_⊥ = 1 − 2a, and minimises 0.6·(−log(1 − a)) + 0.4·(−log a), so a = 0.4 and p_⊥ = 0.2
   *       &lt; 0.4: it predicts (risk 0.5);
   *   <li>cell 1: η = (0.9, 0.1), q = 0.5: both predict class 0.
   * </ul>
   *
   * The excess risk of the L_RS minimiser is (0.5 − 0.4) / 2 = 0.05. Ψ = MAE is linear in p and
   * puts all mass on the best option, so it defers in cell 0.
   */
  public static DiscreteDeferralProblem realizable() {
    return new DiscreteDeferralProblem(
        new double[][] {{0.5, 0.5}, {0.9, 0.1}}, new double[][] {{0.6}, {0.5}}, new double[] {0});
  }
}
