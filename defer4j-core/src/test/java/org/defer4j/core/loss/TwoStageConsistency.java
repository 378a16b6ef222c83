package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.defer4j.core.loss.ConditionalRisk.Weighted;

/**
 * Checks that the minimiser of a two-stage surrogate's conditional risk routes to argmin_j E[c_j |
 * x], the Bayes rule for cost-based deferral (DESIGN.md §5).
 */
final class TwoStageConsistency {
  private TwoStageConsistency() {}

  /**
   * Draws {@code problems} random distributions over 4 outcomes with A agents, costs from {@code
   * costs} (random generator, outcome index), keeps those whose best expected cost beats the second
   * by {@code margin}, minimises the conditional risk (holding {@code frozen} coordinates, if any),
   * and asserts the route.
   */
  static void check(
      Surrogate s,
      int agents,
      BiFunction<SplittableRandom, Integer, double[]> costs,
      long seed,
      int problems,
      double margin,
      double[] start,
      boolean[] frozen) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int checked = 0;
    int notModel = 0;
    int attempts = 0;
    while (checked < problems) {
      attempts++;
      assertThat(attempts).as("problems with a clear Bayes decision").isLessThan(100 * problems);
      double[] prob = ConditionalRisk.simplex(rnd, 4);
      List<Weighted> dist = new ArrayList<>();
      double[] expected = new double[agents];
      for (int o = 0; o < 4; o++) {
        double[] c = costs.apply(rnd, agents);
        for (int j = 0; j < agents; j++) {
          expected[j] += prob[o] * c[j];
        }
        dist.add(new Weighted(Target.ofCosts(c), prob[o]));
      }
      double[] sorted = expected.clone();
      java.util.Arrays.sort(sorted);
      if (sorted[1] - sorted[0] < margin) {
        continue;
      }
      int best = 0;
      for (int j = 1; j < agents; j++) {
        if (expected[j] < expected[best]) {
          best = j;
        }
      }
      double[] x0 = start != null ? start.clone() : new double[s.scoreCount(0, agents - 1)];
      double[] x = ConditionalRisk.minimise(s, x0, dist, 3000, frozen);
      assertThat(s.route(x, 0, agents - 1))
          .as(
              "%s route at %s for expected costs %s",
              s.name(), java.util.Arrays.toString(x), java.util.Arrays.toString(expected))
          .isEqualTo(best);
      notModel += best > 0 ? 1 : 0;
      checked++;
    }
    assertThat(notModel).as("problems routed away from the model").isBetween(1, problems - 1);
  }

  /** Costs U[0, max] for every agent. */
  static BiFunction<SplittableRandom, Integer, double[]> uniform(double max) {
    return (rnd, a) -> {
      double[] c = new double[a];
      for (int j = 0; j < a; j++) {
        c[j] = max * rnd.nextDouble();
      }
      return c;
    };
  }

  /** 0-1 costs with at most two agents right per outcome (the condition of survey eq. 12). */
  static BiFunction<SplittableRandom, Integer, double[]> zeroOneAtMostTwoRight() {
    return (rnd, a) -> {
      double[] c = new double[a];
      java.util.Arrays.fill(c, 1.0);
      int right = rnd.nextInt(3);
      for (int r = 0; r < right; r++) {
        c[rnd.nextInt(a)] = 0.0;
      }
      return c;
    };
  }
}
