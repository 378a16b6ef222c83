package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.defer4j.core.policy.Decision;
import org.junit.jupiter.api.Test;

/** One SGD step on the complementary-cost surrogate, full and importance-weighted. */
class OnlineL2dTest {
  @Test
  void fullFeedbackStepIsTheSurrogateGradient() {
    // Zero heads: p = (½, ½). Costs (identity transform) c = (1, 3): τ = (3, 1), L = Σ τ_j (−log
    // p_j), ∂L/∂s_k = p_k Σ_j τ_j − τ_k = (2 − 3, 2 − 1) = (−1, 1). With x = (2) and features
    // [x, 1], w_k ← −lr · g_k · (2, 1).
    OnlineL2d r = new OnlineL2d(1, FeedbackMode.FULL, 0.1, false, 0.0, 2000, 0);
    OnlineRound round = TestStreams.round(0, new double[] {2}, "a", "b");
    Decision d = r.decide(round);
    r.update(
        round, d, List.of(new Outcome("a", 1.0, Double.NaN), new Outcome("b", 3.0, Double.NaN)));
    assertThat(r.weights("a")).containsExactly(new double[] {0.2, 0.1}, within(1e-12));
    assertThat(r.weights("b")).containsExactly(new double[] {-0.2, -0.1}, within(1e-12));
    assertThat(r.decide(TestStreams.round(1, new double[] {2}, "a", "b")).agent()).isEqualTo("a");
  }

  @Test
  void sqrtTransformIsThePapersMu() {
    // μ = √ρ + β: costs 1 and 9 become 1 and 3, the step is the one above.
    OnlineL2d r = new OnlineL2d(1, FeedbackMode.FULL, 0.1, true, 0.0, 2000, 0);
    OnlineRound round = TestStreams.round(0, new double[] {2}, "a", "b");
    r.update(
        round,
        r.decide(round),
        List.of(new Outcome("a", 1.0, Double.NaN), new Outcome("b", 9.0, Double.NaN)));
    assertThat(r.weights("a")).containsExactly(new double[] {0.2, 0.1}, within(1e-12));
  }

  @Test
  void banditStepIsUnbiasedForTheFullStep() {
    // The loss is linear in the costs, so averaging the importance-weighted step over the draw of
    // I (probability q_I, here ½ each) gives the full-information step exactly: E[ĉ] = c.
    double[] sum = new double[2];
    int[] seen = new int[2];
    for (long seed = 0; seen[0] == 0 || seen[1] == 0; seed++) {
      OnlineL2d r = new OnlineL2d(1, FeedbackMode.BANDIT, 0.1, false, 0.0, 2000, seed);
      OnlineRound round = TestStreams.round(0, new double[] {2}, "a", "b");
      Decision d = r.decide(round);
      int i = d.agent().equals("a") ? 0 : 1;
      if (seen[i]++ > 0) {
        continue;
      }
      r.update(round, d, List.of(new Outcome(d.agent(), i == 0 ? 1.0 : 3.0, Double.NaN)));
      sum[0] += 0.5 * r.weights("a")[0];
      sum[1] += 0.5 * r.weights("b")[0];
    }
    assertThat(sum).containsExactly(new double[] {0.2, -0.2}, within(1e-12));
  }

  @Test
  void fullFeedbackRejectsAMissingOutcome() {
    OnlineL2d r = new OnlineL2d(1, FeedbackMode.FULL, 0.1, false, 0.0, 2000, 0);
    OnlineRound round = TestStreams.round(0, new double[] {2}, "a", "b");
    Decision d = r.decide(round);
    assertThatThrownBy(() -> r.update(round, d, List.of(new Outcome("a", 1.0, Double.NaN))))
        .hasMessageContaining("needs every available agent's outcome");
  }
}
