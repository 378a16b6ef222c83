package org.defer4j.core.train;

import org.defer4j.core.Checks;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.LearnedPolicy;

/**
 * A learned policy read as a two-model router: per case, how strongly it prefers one expert (the
 * strong model) over the model (the weak one), the score that a quality–cost curve sweeps a
 * threshold over ({@link org.defer4j.core.metric.QualityCostCurve}): the agent score of the expert
 * minus the model's ({@link org.defer4j.core.policy.ScoreHead}). For the agent layouts this is s_j
 * − s_0, for the score-based layout s_⊥j − max_k s_k, for the two-stage predictor–rejector −r_j.
 * Unlike the policy's rejection margin it ignores availability, because a routing curve asks for
 * the preference itself.
 */
public final class RouterScores {
  private RouterScores() {}

  /**
   * The router score of every case.
   *
   * @param policy the learned policy
   * @param cases the cases
   * @param expert the strong agent's index, 1..J
   * @throws IllegalArgumentException for a bad index
   */
  public static double[] of(LearnedPolicy policy, DeferralTable cases, int expert) {
    int a = policy.agents().size();
    Checks.checkIndex("expert", expert - 1, a - 1);
    double[] s = policy.agentScores(cases);
    int n = cases.rows();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = s[i * a + expert] - s[i * a];
    }
    return out;
  }
}
