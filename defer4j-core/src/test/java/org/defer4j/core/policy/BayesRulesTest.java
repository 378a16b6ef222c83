package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.defer4j.core.loss.TargetLosses;
import org.junit.jupiter.api.Test;

/**
 * The Bayes rules against brute force: on small discrete laws (3 values of x, 3 classes) every
 * deterministic policy is enumerated, its expected target loss computed exactly from the joint law
 * with {@link TargetLosses}, and the Bayes rule must reach the minimum.
 */
class BayesRulesTest {
  private static final double TOL = 1e-12;

  /**
   * One-stage law: P(x), P(y | x) and the expert's probability q(x) of being right (independent of
   * y given x); the deferral cost is 1[expert wrong] + fee, so E[c | x] = 1 − q(x) + fee.
   */
  private static double oneStageRisk(
      int[] actions, double[] px, double[][] pyx, double[] q, double fee) {
    double risk = 0;
    int k = pyx[0].length;
    for (int x = 0; x < px.length; x++) {
      double[] scores = new double[k + 1];
      scores[actions[x]] = 1; // one-hot scores make argmax = the action
      for (int y = 0; y < k; y++) {
        for (int right = 0; right <= 1; right++) {
          double pm = right == 1 ? q[x] : 1 - q[x];
          double c = (1 - right) + fee;
          risk += px[x] * pyx[x][y] * pm * TargetLosses.scoreBased(scores, y, c);
        }
      }
    }
    return risk;
  }

  private static double bruteForceOneStage(double[] px, double[][] pyx, double[] q, double fee) {
    int k = pyx[0].length;
    int actions = k + 1;
    int nx = px.length;
    double best = Double.POSITIVE_INFINITY;
    int total = (int) Math.pow(actions, nx);
    for (int code = 0; code < total; code++) {
      int[] a = new int[nx];
      int rest = code;
      for (int x = 0; x < nx; x++) {
        a[x] = rest % actions;
        rest /= actions;
      }
      best = Math.min(best, oneStageRisk(a, px, pyx, q, fee));
    }
    return best;
  }

  private static int[] bayesOneStage(double[][] pyx, double[] q, double fee) {
    int[] a = new int[pyx.length];
    for (int x = 0; x < pyx.length; x++) {
      a[x] = BayesRules.oneStage(pyx[x], 1 - q[x] + fee);
    }
    return a;
  }

  @Test
  void oneStageRuleOnAHandDerivedLaw() {
    // P(x) = (0.2, 0.5, 0.3); P(y|x): (0.7, 0.2, 0.1), (0.4, 0.35, 0.25), (0.1, 0.1, 0.8);
    // the expert is right with probability (0.6, 0.9, 0.5) and costs a fee of 0.05, so
    // E[c|x] = (0.45, 0.15, 0.55). Eq. 3: x0: 0.45 > 1 − 0.7 -> predict 0;
    // x1: 0.15 ≤ 0.6 -> defer (index 3); x2: 0.55 > 0.2 -> predict 2.
    // Bayes risk = 0.2·0.3 + 0.5·0.15 + 0.3·0.2 = 0.195.
    double[] px = {0.2, 0.5, 0.3};
    double[][] pyx = {{0.7, 0.2, 0.1}, {0.4, 0.35, 0.25}, {0.1, 0.1, 0.8}};
    double[] q = {0.6, 0.9, 0.5};
    int[] bayes = bayesOneStage(pyx, q, 0.05);
    assertThat(bayes).containsExactly(0, 3, 2);
    assertThat(oneStageRisk(bayes, px, pyx, q, 0.05)).isCloseTo(0.195, within(TOL));
    assertThat(bruteForceOneStage(px, pyx, q, 0.05)).isCloseTo(0.195, within(TOL));
    double risk = 0;
    for (int x = 0; x < 3; x++) {
      risk += px[x] * BayesRules.oneStageRisk(pyx[x], 1 - q[x] + 0.05);
    }
    assertThat(risk).isCloseTo(0.195, within(TOL));
  }

  @Test
  void oneStageRuleMatchesBruteForceOnRandomLaws() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int rep = 0; rep < 300; rep++) {
      double[] px = simplex(rng, 3);
      double[][] pyx = {simplex(rng, 3), simplex(rng, 3), simplex(rng, 3)};
      double[] q = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
      double fee = rep % 2 == 0 ? 0.0 : 0.2 * rng.nextDouble();
      double bayes = oneStageRisk(bayesOneStage(pyx, q, fee), px, pyx, q, fee);
      assertThat(bayes).isCloseTo(bruteForceOneStage(px, pyx, q, fee), within(TOL));
    }
  }

  @Test
  void deferralWinsTiesAsInEquationThree() {
    // E[c|x] = 0.4 = 1 − 0.6: the survey's ≤ defers.
    assertThat(BayesRules.defer(new double[] {0.6, 0.4}, 0.4)).isTrue();
    assertThat(BayesRules.oneStage(new double[] {0.6, 0.4}, 0.4)).isEqualTo(2);
    assertThat(BayesRules.oneStage(new double[] {0.6, 0.4}, 0.41)).isZero();
  }

  /** Expected eq. 15 loss of a policy on a law with outcome-specific cost vectors. */
  private static double agentRisk(int[] choice, double[] px, double[][] pz, double[][][] cost) {
    double risk = 0;
    for (int x = 0; x < px.length; x++) {
      for (int z = 0; z < pz[x].length; z++) {
        risk += px[x] * pz[x][z] * TargetLosses.agentCost(cost[x][z], choice[x]);
      }
    }
    return risk;
  }

  @Test
  void argminExpectedCostMatchesBruteForceOnRandomLaws() {
    // 3 values of x, 3 outcomes z per x (e.g. 3 classes), 3 agents with arbitrary bounded costs.
    SplittableRandom rng = new SplittableRandom(12);
    int nx = 3;
    int agents = 3;
    for (int rep = 0; rep < 300; rep++) {
      double[] px = simplex(rng, nx);
      double[][] pz = new double[nx][];
      double[][][] cost = new double[nx][3][agents];
      double[] expected = new double[nx * agents];
      for (int x = 0; x < nx; x++) {
        pz[x] = simplex(rng, 3);
        for (int z = 0; z < 3; z++) {
          for (int j = 0; j < agents; j++) {
            cost[x][z][j] = rng.nextInt(3) == 0 ? 0.0 : rng.nextDouble() * 2;
            expected[x * agents + j] += pz[x][z] * cost[x][z][j];
          }
        }
      }
      int[] bayes = BayesRules.argminExpectedCost(expected, agents);
      double best = Double.POSITIVE_INFINITY;
      for (int code = 0; code < 27; code++) {
        int[] c = {code % 3, (code / 3) % 3, code / 9};
        best = Math.min(best, agentRisk(c, px, pz, cost));
      }
      assertThat(agentRisk(bayes, px, pz, cost)).isCloseTo(best, within(TOL));
      for (int x = 0; x < nx; x++) {
        double[] row = {expected[3 * x], expected[3 * x + 1], expected[3 * x + 2]};
        assertThat(BayesRules.argminExpectedCost(row)).isEqualTo(bayes[x]);
      }
    }
  }

  @Test
  void argminBreaksTiesToTheLowestIndexAndRejectsNaN() {
    assertThat(BayesRules.argminExpectedCost(new double[] {0.3, 0.2, 0.2})).isEqualTo(1);
    assertThat(BayesRules.argminExpectedCost(new double[] {0.5, 0.5, 0.1, 0.1}, 2))
        .containsExactly(0, 0);
    assertThatThrownBy(() -> BayesRules.argminExpectedCost(new double[] {0.1, Double.NaN}))
        .hasMessageContaining("must be finite");
    assertThatThrownBy(() -> BayesRules.argminExpectedCost(new double[] {0.1, 0.2, 0.3}, 2))
        .hasMessageContaining("not a multiple of 2");
    assertThatThrownBy(() -> BayesRules.defer(new double[] {0.5, 0.6}, 0.1))
        .hasMessageContaining("sums to");
    assertThatThrownBy(() -> BayesRules.defer(new double[] {0.5, 0.5}, -0.1))
        .hasMessageContaining(">= 0");
  }

  private static double[] simplex(SplittableRandom rng, int k) {
    double[] p = new double[k];
    double s = 0;
    for (int i = 0; i < k; i++) {
      p[i] = -Math.log(1 - rng.nextDouble());
      s += p[i];
    }
    for (int i = 0; i < k; i++) {
      p[i] /= s;
    }
    return p;
  }
}
