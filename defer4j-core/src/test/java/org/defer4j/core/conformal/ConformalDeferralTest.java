package org.defer4j.core.conformal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.policy.Decision;
import org.defer4j.core.policy.Decisions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Split-conformal coverage of the expert's correctness (Fang &amp; Nalisnick). Cases: the expert is
 * right with probability π(x) ~ U[0, 1], the policy's estimate p̂ is π plus N(0, 0.15²) noise
 * (clipped), the model is right with probability 1 − π(x), and the policy defers iff p̂ &gt; 1/2
 * (its Bayes rule). Split-conformal theory (Vovk; Angelopoulos &amp; Bates 2021 §1) gives 1 − α ≤
 * E[coverage] ≤ 1 − α + 1/(n_cal + 1) for continuous scores; the mean over S splits is within
 * 3·sd/√S of that expectation (sd the spread across splits).
 */
class ConformalDeferralTest {
  static ConformalStudy.Cases cases(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] p = new double[n];
    boolean[] e = new boolean[n];
    boolean[] m = new boolean[n];
    boolean[] agree = new boolean[n];
    boolean[] policy = new boolean[n];
    for (int i = 0; i < n; i++) {
      double pi = rng.nextDouble();
      e[i] = rng.nextDouble() < pi;
      m[i] = rng.nextDouble() < 1 - pi;
      double noise =
          0.15
              * Math.sqrt(-2 * Math.log(1 - rng.nextDouble()))
              * Math.cos(2 * Math.PI * rng.nextDouble());
      p[i] = Math.min(1, Math.max(0, pi + noise));
      // Both right: same answer; otherwise they agree by chance a third of the time (3 classes)
      // only when both are wrong.
      agree[i] = e[i] && m[i] || !e[i] && !m[i] && rng.nextDouble() < 1.0 / 3;
      policy[i] = p[i] > 0.5 ? e[i] : m[i];
    }
    return new ConformalStudy.Cases(p, e, m, agree, policy);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.05, 0.1, 0.2})
  void coverageHoldsOverManyRandomSplits(double alpha) {
    ConformalStudy.Summary s = ConformalStudy.run(cases(2000, 3), alpha, 0.5, 1000, 18);
    double err = 3 * s.coverageSd() / Math.sqrt(s.splits());
    assertThat(s.coverage()).isGreaterThanOrEqualTo(1 - alpha - err);
    assertThat(s.coverage()).isLessThanOrEqualTo(1 - alpha + 1.0 / (s.calibrationRows() + 1) + err);
    assertThat(s.meanSetSize()).isBetween(1.0, 2.0);
    assertThat(s.shareModel() + s.shareExpert() + s.shareBoth())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    // Abstaining on the ambiguous cases answers fewer of them, more accurately than the policy.
    assertThat(s.abstentionAnswered()).isLessThan(1.0);
    assertThat(s.abstentionAccuracy()).isGreaterThan(s.policyAccuracy());
    // Consensus answers every case abstention answers, and more.
    assertThat(s.consensusAnswered()).isGreaterThanOrEqualTo(s.abstentionAnswered());
  }

  @Test
  void smallerAlphaGivesLargerSets() {
    ConformalStudy.Cases c = cases(1000, 4);
    double last = 0;
    // From α = 0.2 down, q̂ ≥ 1/2 and no set is empty (empty sets, widened to both, would break the
    // order at larger α).
    for (double alpha : new double[] {0.2, 0.1, 0.05, 0.02}) {
      double size = ConformalStudy.run(c, alpha, 0.5, 20, 1).meanSetSize();
      assertThat(size).as("alpha %s", alpha).isGreaterThanOrEqualTo(last);
      last = size;
    }
  }

  @Test
  void quantileFollowsTheFiniteSampleRank() {
    // n = 9, α = 0.1: rank ⌈10 · 0.9⌉ = 9, the largest score; α = 0.05 needs rank 10 > n: +∞.
    double[] p = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1};
    boolean[] right = new boolean[9];
    java.util.Arrays.fill(right, true);
    int[] rows = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    assertThat(ConformalDeferral.calibrate(p, right, rows, 0.1).quantile())
        .isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-12));
    ConformalDeferral all = ConformalDeferral.calibrate(p, right, rows, 0.05);
    assertThat(all.quantile()).isInfinite();
    assertThat(all.set(0.5)).isEqualTo(ConformalDeferral.MODEL | ConformalDeferral.EXPERT);
    ConformalDeferral tight = ConformalDeferral.calibrate(p, right, rows, 0.5);
    // q̂ = 5th smallest of 1 − p = 0.5: p̂ = 0.9 → {expert}; p̂ = 0.1 → {model}.
    assertThat(tight.set(0.9)).isEqualTo(ConformalDeferral.EXPERT);
    assertThat(tight.set(0.1)).isEqualTo(ConformalDeferral.MODEL);
    assertThatThrownBy(() -> ConformalDeferral.calibrate(p, right, rows, 1.0))
        .hasMessageContaining("alpha");
  }

  @Test
  void setsAreDecisionsOfKindSet() {
    AgentSet agents = AgentSet.of(Agent.model("m"), List.of(Agent.expert("e", 0.1)));
    Decisions base =
        Decisions.builder(agents, new int[] {0, 1, 1})
            .scores(new double[] {1, 0, 0, 2, 0.5, 0.7})
            .build();
    int b = ConformalDeferral.MODEL | ConformalDeferral.EXPERT;
    List<Decision> d =
        ConformalDeferral.decisions(
            base, new int[] {ConformalDeferral.MODEL, ConformalDeferral.EXPERT, b}, 1);
    assertThat(d).allMatch(x -> x.kind() == Decision.Kind.SET);
    assertThat(d.get(0).chosen()).containsExactly("m");
    assertThat(d.get(1).chosen()).containsExactly("e");
    assertThat(d.get(2).chosen()).containsExactly("e", "m");
    assertThat(d.get(0).reason("e")).isEqualTo(Decision.Reason.LOWER_SCORE);
    assertThat(d.get(1).reason("m")).isEqualTo(Decision.Reason.LOWER_SCORE);
    assertThat(d.get(2).reason("m")).isEqualTo(Decision.Reason.CHOSEN);
  }
}
