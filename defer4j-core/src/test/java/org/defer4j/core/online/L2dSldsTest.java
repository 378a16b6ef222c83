package org.defer4j.core.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.defer4j.core.policy.Decision;
import org.junit.jupiter.api.Test;

/** The L2D-SLDS filter against hand-derived Kalman updates, IDS, and the registry. */
class L2dSldsTest {
  /** ε-sized terms the filter adds for stability (1e-8 on diagonals) bound the tolerances. */
  private static final double TOL = 1e-7;

  private static L2dSldsOptions options(
      int m, int dg, double[] aU, double[] qU, double uPrior, int deltaMax) {
    return new L2dSldsOptions(
        m,
        dg,
        new double[] {0.9},
        new double[] {0.2},
        aU,
        qU,
        0.5,
        1.5,
        uPrior,
        1.0,
        deltaMax,
        "g_z",
        12,
        "uniform");
  }

  @Test
  void oneRegimeWithoutSharedFactorIsAScalarKalmanFilter() {
    // d = 1, x = 1, u ~ N(0, v0), R = 0.5, A = 0.8, Q = 0.1. Round 0 (entering): prior (0, v0);
    // after e0: K = v0/(v0 + R), mean K e0, var v0 R/(v0 + R). Round 1: predicted (0.8 mean,
    // 0.64 var + 0.1); expected cost var + R + mean².
    double v0 = 2.0;
    double r = 0.5;
    L2dSlds f =
        new L2dSlds(
            1,
            FeedbackMode.BANDIT,
            options(1, 0, new double[] {0.8}, new double[] {0.1}, v0, 2000),
            Map.of("a", r),
            0);
    OnlineRound r0 = TestStreams.round(0, new double[] {1}, "a");
    Decision d0 = f.decide(r0);
    assertThat(d0.expectedCost("a")).isCloseTo(v0 + r, within(TOL));
    double e0 = 1.2;
    f.update(r0, d0, List.of(new Outcome("a", e0 * e0, e0)));
    double k = v0 / (v0 + r);
    double mean = k * e0;
    double var = v0 * r / (v0 + r);
    double[] state = f.state().agents().get("a").get("u_mean.0");
    assertThat(state[0]).isCloseTo(mean, within(TOL));
    assertThat(f.state().agents().get("a").get("u_cov.0")[0]).isCloseTo(var, within(TOL));
    Decision d1 = f.decide(TestStreams.round(1, new double[] {1}, "a"));
    double pm = 0.8 * mean;
    double pv = 0.64 * var + 0.1;
    assertThat(d1.expectedCost("a")).isCloseTo(pv + r + pm * pm, within(TOL));
  }

  @Test
  void sharedFactorAndIdiosyncraticStateAreUpdatedJointlyThenFactorised() {
    // x = 1, h = 1: e = g + u + noise. Prior g ~ N(0, 1.5), u ~ N(0, 2), R = 0.5, S = 4.
    // Posterior means (vg e/S, vu e/S); variances vg − vg²/S, vu − vu²/S; the cross-covariance
    // −vg vu/S is dropped, so the next predictive variance is the sum of the two marginals'.
    L2dSlds f =
        new L2dSlds(
            1,
            FeedbackMode.BANDIT,
            options(1, 1, new double[] {0.8}, new double[] {0.1}, 2.0, 2000),
            Map.of("a", 0.5),
            0);
    OnlineRound r0 = TestStreams.round(0, new double[] {1}, "a");
    Decision d0 = f.decide(r0);
    // g's prior was propagated once (0.81·1.5 + 0.2); u entered at its prior
    double vg = 0.81 * 1.5 + 0.2;
    double vu = 2.0;
    double s = vg + vu + 0.5;
    assertThat(d0.expectedCost("a")).isCloseTo(s, within(TOL));
    double e = -0.7;
    f.update(r0, d0, List.of(new Outcome("a", e * e, e)));
    OnlineState st = f.state();
    assertThat(st.shared().get("g_mean.0")[0]).isCloseTo(vg * e / s, within(TOL));
    assertThat(st.shared().get("g_cov.0")[0]).isCloseTo(vg - vg * vg / s, within(TOL));
    assertThat(st.agents().get("a").get("u_mean.0")[0]).isCloseTo(vu * e / s, within(TOL));
    assertThat(st.agents().get("a").get("u_cov.0")[0]).isCloseTo(vu - vu * vu / s, within(TOL));
    Decision d1 = f.decide(TestStreams.round(1, new double[] {1}, "a"));
    double pg = 0.81 * (vg - vg * vg / s) + 0.2;
    double pu = 0.64 * (vu - vu * vu / s) + 0.1;
    double pm = 0.9 * vg * e / s + 0.8 * vu * e / s;
    assertThat(d1.expectedCost("a")).isCloseTo(pg + pu + 0.5 + pm * pm, within(TOL));
  }

  @Test
  void regimeWeightsFollowThePredictiveLikelihoods() {
    // Two regimes that differ only in Q_u (0.1 vs 3); uniform transitions, so w⁻ = (½, ½) and the
    // posterior is proportional to N(e; mean_m, var_m) with the round-1 predictive laws.
    L2dSlds f =
        new L2dSlds(
            1,
            FeedbackMode.BANDIT,
            options(2, 0, new double[] {1.0, 1.0}, new double[] {0.1, 3.0}, 1.0, 2000),
            Map.of("a", 0.5),
            0);
    OnlineRound r0 = TestStreams.round(0, new double[] {1}, "a");
    f.update(r0, f.decide(r0), List.of(new Outcome("a", 0.0, 0.0)));
    // after e0 = 0 both regimes hold u ~ N(0, 1·0.5/1.5); mixing keeps it; predicted var + R:
    double post = 0.5 / 1.5;
    double s0 = post + 0.1 + 0.5;
    double s1 = post + 3.0 + 0.5;
    OnlineRound r1 = TestStreams.round(1, new double[] {1}, "a");
    Decision d1 = f.decide(r1);
    double e1 = 3.0;
    f.update(r1, d1, List.of(new Outcome("a", e1 * e1, e1)));
    double l0 = Math.exp(-0.5 * e1 * e1 / s0) / Math.sqrt(s0);
    double l1 = Math.exp(-0.5 * e1 * e1 / s1) / Math.sqrt(s1);
    assertThat(f.regimeWeights()[1]).isCloseTo(l1 / (l0 + l1), within(1e-6));
  }

  @Test
  void informationDirectedRuleMatchesItsDefinition() {
    // Δ = C − min C; ratio Δ²/IG; IG ≤ ε → +∞ unless Δ ≤ ε. The myopic agent has ratio 0, so it
    // wins unless another agent ties at Δ = 0 (the paper's code's rule: exploration through IDS
    // only breaks ties).
    assertThat(L2dSlds.informationDirected(new double[] {1.0, 1.1}, new double[] {0.1, 9.0}, 0))
        .isEqualTo(0);
    assertThat(L2dSlds.informationDirected(new double[] {1.1, 1.0}, new double[] {0.0, 0.0}, 1))
        .isEqualTo(1);
    assertThat(L2dSlds.informationDirected(new double[] {1.0, 1.0}, new double[] {0.0, 0.5}, 0))
        .isEqualTo(0);
  }

  @Test
  void expertsArePrunedAfterDeltaMaxRoundsUnqueriedAndReturnAtThePrior() {
    L2dSlds f =
        new L2dSlds(
            1,
            FeedbackMode.BANDIT,
            options(1, 1, new double[] {0.8}, new double[] {0.1}, 2.0, 3),
            Map.of(),
            0);
    List<String> names = List.of("a", "b");
    for (int t = 0; t < 10; t++) {
      boolean bAvailable = t < 2 || t >= 8;
      OnlineRound round = TestStreams.round(t, new double[] {1}, names, true, bAvailable);
      Decision d = f.decide(round);
      double e = d.agent().equals("a") ? 0.1 : 2.0;
      f.update(round, d, List.of(new Outcome(d.agent(), e * e, e)));
      if (t == 5) {
        // b last queried by round 1 at the latest: 5 − 1 > 3, pruned on round 5
        assertThat(f.registry().names()).containsExactly("a");
      }
    }
    assertThat(f.registry().names()).containsExactly("a", "b");
  }
}
