package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.policy.Decision;
import org.junit.jupiter.api.Test;

/** LinUCB's per-agent ridge against the closed form, its score, arrival and discounting. */
class LinUcbTest {
  private static final String[] AGENTS = {"a", "b"};

  @Test
  void ridgeEstimateEqualsTheClosedFormForTheChosenAgentOnly() {
    // Full feedback, so both agents learn from every round; expected values: an independent
    // Gauss-Jordan solve of (λI + XᵀX) θ = Xᵀρ on the same rounds, to 1e-10.
    LinUcb r = new LinUcb(3, 5.0, 1.0, 1.0, false, 2000);
    SplittableRandom rng = new SplittableRandom(1);
    int n = 40;
    double[][] x = new double[n][];
    double[] ca = new double[n];
    double[] cb = new double[n];
    for (int t = 0; t < n; t++) {
      x[t] = new double[] {rng.nextGaussian(), rng.nextGaussian(), 1.0};
      ca[t] = Math.abs(rng.nextGaussian());
      cb[t] = 2 * Math.abs(rng.nextGaussian());
      OnlineRound round = TestStreams.round(t, x[t], AGENTS);
      Decision d = r.decide(round);
      r.update(
          round,
          d,
          List.of(new Outcome("a", ca[t], Double.NaN), new Outcome("b", cb[t], Double.NaN)));
    }
    assertThat(r.theta("a")).containsExactly(TestStreams.ridge(1.0, x, ca), within(1e-10));
    assertThat(r.theta("b")).containsExactly(TestStreams.ridge(1.0, x, cb), within(1e-10));
  }

  @Test
  void scoreIsTheLowerConfidenceBound() {
    // After one update of agent a at φ = (1, 0): A = I + φφᵀ = diag(2, 1), b = (3, 0), θ = (1.5,
    // 0).
    // At φ' = (1, 1): mean 1.5, width √(φ'ᵀA⁻¹φ') = √1.5, lcb = 1.5 − 2√1.5 (α = 2).
    LinUcb r = new LinUcb(2, 2.0, 1.0, 1.0, false, 2000);
    OnlineRound r0 = TestStreams.round(0, new double[] {1, 0}, "a");
    r.update(r0, r.decide(r0), List.of(new Outcome("a", 3.0, Double.NaN)));
    Decision d = r.decide(TestStreams.round(1, new double[] {1, 1}, "a"));
    assertThat(d.expectedCost("a")).isCloseTo(1.5, within(1e-12));
    assertThat(d.score("a")).isCloseTo(-(1.5 - 2.0 * Math.sqrt(1.5)), within(1e-12));
  }

  @Test
  void banditUpdateTouchesOnlyTheRevealedAgent() {
    LinUcb r = new LinUcb(1, 0.0, 1.0, 1.0, false, 2000);
    OnlineRound round = TestStreams.round(0, new double[] {1}, AGENTS);
    Decision d = r.decide(round);
    r.update(round, d, List.of(new Outcome(d.agent(), 4.0, Double.NaN)));
    String other = d.agent().equals("a") ? "b" : "a";
    assertThat(r.theta(d.agent())[0]).isCloseTo(2.0, within(1e-12)); // 4 / (1 + 1)
    assertThat(r.theta(other)[0]).isEqualTo(0.0);
  }

  @Test
  void discountedRidgeWeighsOldRoundsByGammaToTheAge() {
    // γ-discounted statistics after n rounds: A = γⁿλ + Σ γ^{n−1−s} x_s² + (1 − γⁿ)λ... which the
    // recursion A ← γA + (1−γ)λ + x² gives; closed form: A = λ + Σ_s γ^{n−1−s} x_s², b likewise.
    double gamma = 0.9;
    LinUcb r = new LinUcb(1, 0.0, 1.0, gamma, false, 2000);
    double[] xs = {1.0, 2.0, 0.5};
    double[] cs = {1.0, 3.0, 2.0};
    for (int t = 0; t < xs.length; t++) {
      OnlineRound round = TestStreams.round(t, new double[] {xs[t]}, "a");
      r.update(round, r.decide(round), List.of(new Outcome("a", cs[t], Double.NaN)));
    }
    double a = 1.0;
    double b = 0.0;
    for (int s = 0; s < xs.length; s++) {
      double w = Math.pow(gamma, xs.length - 1 - s);
      a += w * xs[s] * xs[s];
      b += w * xs[s] * cs[s];
    }
    assertThat(r.theta("a")[0]).isCloseTo(b / a, within(1e-12));
  }

  @Test
  void anAgentArrivingLateStartsFromThePrior() {
    LinUcb r = new LinUcb(1, 1.0, 1.0, 1.0, false, 2000);
    List<String> names = List.of("a", "late");
    for (int t = 0; t < 5; t++) {
      OnlineRound round = TestStreams.round(t, new double[] {1}, names, true, false);
      Decision d = r.decide(round);
      assertThat(d.agent()).isEqualTo("a");
      assertThat(d.reason("late")).isEqualTo(Decision.Reason.UNAVAILABLE);
      r.update(round, d, List.of(new Outcome("a", 1.0, Double.NaN)));
    }
    assertThat(r.theta("late")).isNull();
    OnlineRound round = TestStreams.round(5, new double[] {1}, names, true, true);
    Decision d = r.decide(round);
    assertThat(r.theta("late")).containsExactly(0.0);
    // the newcomer's lcb is 0 − 1·√1 = −1, below a's (5/6 − √(1/6)): optimism tries it
    assertThat(d.agent()).isEqualTo("late");
  }

  @Test
  void identicalStreamsAndSeedsGiveIdenticalChoices() {
    OnlineStream s = SyntheticStreams.arrival(300, 100, 4);
    List<Integer> first = new ArrayList<>();
    for (int rep = 0; rep < 2; rep++) {
      ReplayResult res =
          OnlineReplay.run(s, new LinUcb(2, 5, 1, 1, false, 2000), FeedbackMode.BANDIT, 1, 0);
      if (rep == 0) {
        for (int c : res.chosen()) {
          first.add(c);
        }
      } else {
        for (int i = 0; i < res.chosen().length; i++) {
          assertThat(res.chosen()[i]).isEqualTo(first.get(i));
        }
      }
    }
  }
}
