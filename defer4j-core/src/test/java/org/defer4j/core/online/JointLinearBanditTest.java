package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.policy.Decision;
import org.junit.jupiter.api.Test;

/** The shared ridge model: recursive least squares = batch ridge, exact pruning, TS's law. */
class JointLinearBanditTest {
  private static JointLinearBandit ucb(int d, int maxAbsence) {
    return new JointLinearBandit(
        d, JointLinearBandit.Exploration.UCB, 3.0, 1.0, 1.0, true, true, true, maxAbsence, 0);
  }

  /** f(x, j) in the router's layout [shared | a's (bias, x) | b's (bias, x)]. */
  private static double[] joint(double[] x, int agent, int agents) {
    int d = x.length;
    double[] f = new double[d + agents * (1 + d)];
    System.arraycopy(x, 0, f, 0, d);
    int off = d + agent * (1 + d);
    f[off] = 1.0;
    System.arraycopy(x, 0, f, off + 1, d);
    return f;
  }

  @Test
  void posteriorMeanEqualsTheBatchRidgeSolution() {
    // Expected: (λI + Σ f fᵀ)⁻¹ Σ f ρ over the revealed (round, agent) pairs, by Gauss-Jordan;
    // the router's Sherman-Morrison recursion must agree to 1e-9.
    JointLinearBandit r = ucb(2, 2000);
    SplittableRandom rng = new SplittableRandom(3);
    int n = 30;
    double[][] f = new double[n][];
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      double[] x = {1.0, rng.nextGaussian()};
      OnlineRound round = TestStreams.round(t, x, "a", "b");
      Decision d = r.decide(round);
      double c = Math.abs(rng.nextGaussian()) + (d.agent().equals("a") ? 0.0 : 1.0);
      r.update(round, d, List.of(new Outcome(d.agent(), c, Double.NaN)));
      f[t] = joint(x, d.agent().equals("a") ? 0 : 1, 2);
      y[t] = c;
    }
    assertThat(r.posteriorMean()).containsExactly(TestStreams.ridge(1.0, f, y), within(1e-9));
    double[][] inv = TestStreams.inverseGram(1.0, f, f[0].length);
    double[] cov = r.posteriorCovariance();
    int p = f[0].length;
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        assertThat(cov[i * p + j]).isCloseTo(inv[i][j], within(1e-9));
      }
    }
  }

  @Test
  void pruningAnAgentLeavesTheOthersPredictionsUnchanged() {
    // Marginalising a Gaussian = deleting its rows and columns, so a's predictive mean and width
    // at any context must be the same before and after b is pruned (to 1e-12).
    JointLinearBandit r = ucb(2, 3);
    List<String> names = List.of("a", "b");
    SplittableRandom rng = new SplittableRandom(5);
    for (int t = 0; t < 20; t++) {
      OnlineRound round =
          TestStreams.round(t, new double[] {1, rng.nextGaussian()}, names, true, true);
      Decision d = r.decide(round);
      r.update(round, d, List.of(new Outcome(d.agent(), rng.nextDouble(), Double.NaN)));
    }
    double[] probe = {1.0, 0.7};
    // b was last touched on round 19; unavailable from round 20 on, it is kept while t − 19 ≤ 3
    for (int t = 20; t < 22; t++) {
      OnlineRound round = TestStreams.round(t, probe, names, true, false);
      r.update(round, r.decide(round), List.of(new Outcome("a", 0.5, Double.NaN)));
    }
    Decision kept = r.decide(TestStreams.round(22, probe, names, true, false));
    assertThat(r.agents()).containsExactly("a", "b");
    // no update in between, so only the pruning differs between the two decisions
    Decision pruned = r.decide(TestStreams.round(23, probe, names, true, false));
    assertThat(r.agents()).containsExactly("a");
    assertThat(pruned.expectedCost("a")).isCloseTo(kept.expectedCost("a"), within(1e-12));
    assertThat(pruned.score("a")).isCloseTo(kept.score("a"), within(1e-12));
    // b returns afresh: its block is the prior again, so its expected cost is the shared part only
    Decision back = r.decide(TestStreams.round(24, probe, names, true, true));
    assertThat(r.agents()).containsExactly("a", "b");
    double[] mean = r.posteriorMean();
    assertThat(mean).hasSize(2 + 2 * 3);
    assertThat(back.expectedCost("b")).isCloseTo(mean[0] + 0.7 * mean[1], within(1e-12));
  }

  @Test
  void thompsonScoresFollowTheProjectedPosterior() {
    // With no data the posterior is N(0, I/λ); agent a's sampled cost θ̃ᵀf has variance s²|f|²/λ
    // (|f|² = 2·|x|² + 1 with shared and interaction blocks and the bias). 4000 draws: the sample
    // variance is within 10 % (its relative sd is √(2/4000) ≈ 2.2 %).
    double s = 0.75;
    JointLinearBandit r =
        new JointLinearBandit(
            2, JointLinearBandit.Exploration.THOMPSON, 0, s, 1.0, true, true, true, 2000, 7);
    double[] x = {1.0, 0.5};
    double sum = 0.0;
    double sq = 0.0;
    int n = 4000;
    for (int t = 0; t < n; t++) {
      double v = -r.decide(TestStreams.round(t, x, "a")).score("a");
      sum += v;
      sq += v * v;
    }
    double mean = sum / n;
    double var = sq / n - mean * mean;
    double expected = s * s * (2 * (1.0 + 0.25) + 1.0);
    assertThat(mean).isCloseTo(0.0, within(4 * Math.sqrt(expected / n)));
    assertThat(var).isCloseTo(expected, within(0.1 * expected));
  }
}
