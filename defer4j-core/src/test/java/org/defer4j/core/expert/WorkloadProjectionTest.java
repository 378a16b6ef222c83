package org.defer4j.core.expert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkloadProjectionTest {

  /**
   * Four cases, two agents, agent 1 preferred everywhere (mean share 0.75); an upper bound of 0.5
   * on it. Hand derivation: q*_i(1) = q_i(1)·e^ν / (q_i(0) + q_i(1)·e^ν) with one ν, and with all
   * rows equal (0.25, 0.75) the shares are equal, so e^ν = 1/3 and q* = (0.5, 0.5) on every row.
   */
  @Test
  void upperBoundMetExactlyOnAHandExample() {
    double[] q = {0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75};
    double[] p = WorkloadProjection.project(q, 4, new double[] {0, 0}, new double[] {1, 0.5});
    assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, p, 1e-10);
  }

  @Test
  void sharesInsideTheBoundsLeaveThePosteriorsUnchanged() {
    double[] q = {0.6, 0.4, 0.3, 0.7};
    double[] p = WorkloadProjection.project(q, 2, new double[] {0.2, 0.2}, new double[] {0.8, 0.8});
    assertArrayEquals(q, p, 1e-15);
  }

  /**
   * Random posteriors over 5 agents with mixed lower and upper bounds: every bound holds to 1e-9.
   */
  @Test
  void randomProblemsMeetEveryBound() {
    SplittableRandom rng = new SplittableRandom(7);
    double[] lower = {0.3, 0.0, 0.1, 0.0, 0.15};
    double[] upper = {1.0, 0.1, 0.2, 0.25, 0.3};
    for (int trial = 0; trial < 6; trial++) {
      int n = 50 + trial * 10;
      double[] q = new double[n * 5];
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < 5; j++) {
          q[i * 5 + j] = Math.exp(3 * rng.nextGaussian());
          sum += q[i * 5 + j];
        }
        for (int j = 0; j < 5; j++) {
          q[i * 5 + j] /= sum;
        }
      }
      double[] p = WorkloadProjection.project(q, n, lower, upper);
      double[] s = WorkloadProjection.shares(p, n, 5);
      for (int j = 0; j < 5; j++) {
        assertTrue(s[j] >= lower[j] - 1e-9 && s[j] <= upper[j] + 1e-9, "agent " + j + ": " + s[j]);
      }
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = 0; j < 5; j++) {
          sum += p[i * 5 + j];
        }
        assertEquals(1.0, sum, 1e-12);
      }
    }
  }

  @Test
  void infeasibleBoundsAreRejected() {
    double[] q = {0.5, 0.5};
    assertThrows(
        IllegalArgumentException.class,
        () -> WorkloadProjection.project(q, 1, new double[] {0.6, 0.6}, new double[] {1, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> WorkloadProjection.project(q, 1, new double[] {0, 0}, new double[] {0.4, 0.4}));
  }

  /**
   * E-step on one case, K = 2, y = 0: the classifier gives P(y) = 0.9, expert 1 answered right,
   * expert 2 wrong, equal gate prior. Hand derivation: log-likelihoods ll_0 = 0.9·log(1 − ε) +
   * 0.1·log ε, ll_1 = log(1 − ε), ll_2 = log ε; q ∝ exp(ll).
   */
  @Test
  void eStepWeighsAgentsByTheirLikelihood() {
    double eps = WorkloadEmTrainer.SMOOTHING;
    double logP = Math.log(0.9 / 0.1);
    double[] scores = {logP, 0, 0, 0};
    byte[] correct = {0, 1, 0};
    double[] post = new double[3];
    WorkloadEmTrainer.eStep(
        scores,
        new int[] {0},
        correct,
        new double[] {0, 0.5, 0.5},
        new boolean[] {true, true, true},
        1,
        2,
        3,
        post);
    double[] ll = {0.9 * Math.log1p(-eps) + 0.1 * Math.log(eps), Math.log1p(-eps), Math.log(eps)};
    double z = Math.exp(ll[0]) + Math.exp(ll[1]) + Math.exp(ll[2]);
    assertArrayEquals(
        new double[] {Math.exp(ll[0]) / z, Math.exp(ll[1]) / z, Math.exp(ll[2]) / z}, post, 1e-12);
  }
}
