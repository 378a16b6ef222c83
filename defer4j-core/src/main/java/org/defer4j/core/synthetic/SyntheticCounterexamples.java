package org.defer4j.core.synthetic;

/**
 * Small {@link DiscreteDeferralProblem}s on which a surrogate's conditional-risk minimiser is known
 * by hand to differ from the Bayes rule (two equally likely cells, two classes, experts without
 * fee; decisions 0 and 1 predict a class, 2 + j − 1 defers to expert j).
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

  /**
   * Where L_RS and Ψ = −log fail with a <em>deterministic</em> expert (cost 1[g(x) ≠ y], the
   * setting of "cost functions based on classification error"). Deferring to g and predicting g
   * cost the same, so the surrogate is flat along the split between p_g and p_⊥: with ψ the
   * conditional risk η_g · (−log(p_g + p_⊥)) + Σ_{y≠g} η_y (−log p_y), every p with p_y = η_y (y ≠
   * g) and p_g + p_⊥ = η_g is a minimiser, and splitting η_g lets a third class win the argmax.
   *
   * <ul>
   *   <li>cell 0: η = (0.6, 0.4), the expert always answers 0: the Bayes rule predicts 0 or defers
   *       (risk 0.4). Every p = (t, 0.4, 0.6 − t) has the minimal risk 0.67301; for t ∈ (0.2, 0.4)
   *       class 1 wins (risk 0.6). Gradient descent from zero scores keeps s_0 = s_⊥ by symmetry
   *       and ends at p = (0.3, 0.4, 0.3): it predicts class 1;
   *   <li>cell 1: η = (0.9, 0.1), the expert always answers 1: everything predicts class 0.
   * </ul>
   *
   * The excess risk of the zero-initialised minimiser is (0.6 − 0.4) / 2 = 0.1. Ψ = MAE puts no
   * mass outside {g, ⊥} in cell 0 and is safe.
   */
  public static DiscreteDeferralProblem deterministicExpert() {
    return DiscreteDeferralProblem.deterministic(
        new double[][] {{0.6, 0.4}, {0.9, 0.1}}, new int[][] {{0}, {1}}, new double[] {0});
  }

  /**
   * The multi-expert {@code realizable} (defer4j's extension, −log(p_y + Σ_j e_j p_⊥j)) with two
   * deterministic experts that agree: cell 0 has η = (0.6, 0.4) and both experts always answer 0;
   * cell 1 has η = (0.9, 0.1) and both answer 1. In cell 0 zero-initialised descent splits η_0 =
   * 0.6 evenly over class 0 and the two experts, p = (0.2, 0.4, 0.2, 0.2), and predicts class 1
   * (risk 0.6 against 0.4): excess 0.1 over the two cells.
   */
  public static DiscreteDeferralProblem agreeingDeterministicExperts() {
    return DiscreteDeferralProblem.deterministic(
        new double[][] {{0.6, 0.4}, {0.9, 0.1}}, new int[][] {{0, 0}, {1, 1}}, new double[] {0, 0});
  }
}
