package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.loss.ConditionalRisk.Weighted;

/**
 * Checks that the minimiser of a one-stage surrogate's conditional risk makes the Bayes decision
 * (survey eq. 3, with fees and several experts: predict argmax_y η_y unless some expert's expected
 * cost 1 − a_j + fee is below 1 − max_y η_y, then defer to the cheapest expert).
 */
final class Consistency {
  private Consistency() {}

  /**
   * The best of K + 1 descents: from zero scores and from a small lead (0.5) for each class.
   * Consistency is a statement about the global minimiser; losses that target the model's own
   * prediction (lsf, dce) have one local minimum per possible top class, so a single start at a tie
   * could stop in the wrong one.
   */
  static double[] globalMinimiser(Surrogate s, int classes, int experts, List<Weighted> dist) {
    int n = s.scoreCount(classes, experts);
    double[] best = null;
    double bestRisk = Double.POSITIVE_INFINITY;
    double[] g = new double[n];
    for (int start = -1; start < classes; start++) {
      double[] x0 = new double[n];
      if (start >= 0) {
        x0[start] = 0.5;
      }
      double[] x = ConditionalRisk.minimise(s, x0, dist, 3000, null);
      double risk = ConditionalRisk.value(s, x, dist, g);
      if (risk < bestRisk) {
        bestRisk = risk;
        best = x;
      }
    }
    return best;
  }

  /**
   * Draws random problems (K = 3 classes, given J; expert cost fee + errorCost · 1[wrong]) whose
   * Bayes decision has a margin of at least {@code margin} in expected cost and whose top two class
   * probabilities differ by at least {@code margin}, minimises the conditional risk from zero
   * scores, and asserts the surrogate's route and, when the model should predict, its predicted
   * class.
   *
   * @return the number of problems checked
   */
  static int checkOneStage(
      Surrogate s,
      int experts,
      double fee,
      double errorCost,
      long seed,
      int problems,
      double margin) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int classes = 3;
    int checked = 0;
    int defers = 0;
    while (checked < problems) {
      double[] eta = ConditionalRisk.simplex(rnd, classes);
      double[][] acc = ConditionalRisk.accuracies(rnd, experts, classes);
      if (ConditionalRisk.bayesMargin(eta, acc, fee, errorCost) < margin
          || ConditionalRisk.topGap(eta) < margin) {
        continue;
      }
      List<Weighted> dist = ConditionalRisk.oneStage(eta, acc, fee, errorCost);
      double[] x = globalMinimiser(s, classes, experts, dist);
      int expected = ConditionalRisk.bayesAgent(eta, acc, fee, errorCost);
      assertThat(s.route(x, classes, experts))
          .as(
              "%s route at the risk minimiser %s for eta %s, acc %s, fee %s",
              s.name(),
              java.util.Arrays.toString(x),
              java.util.Arrays.toString(eta),
              java.util.Arrays.deepToString(acc),
              fee)
          .isEqualTo(expected);
      if (expected == 0) {
        assertThat(ConditionalRisk.argmax(x, 0, classes))
            .as("%s predicted class for eta %s", s.name(), java.util.Arrays.toString(eta))
            .isEqualTo(ConditionalRisk.argmax(eta, 0, classes));
      }
      defers += expected > 0 ? 1 : 0;
      checked++;
    }
    // Both decisions must have been exercised, or the test proves little.
    assertThat(defers).as("problems whose Bayes decision defers").isBetween(1, problems - 1);
    return checked;
  }
}
