package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.loss.Cases.Case;
import org.defer4j.core.loss.ConditionalRisk.Weighted;
import org.defer4j.core.task.RegressionLoss;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Regression with multi-expert deferral (survey eq. 14). */
class RegressionDeferralSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.regression(RegressionLoss.SQUARED);
  }

  @Override
  public double maxCost() {
    return 1.5;
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.range(1, c.scores().length);
  }

  /**
   * Mao et al. 2024: joint minimisation of eq. 14's conditional risk gives the best predictor (for
   * the squared loss h = E[t]) and routes to the agent of least expected cost, the predictor's
   * being E[(h − t)²] = Var(t). Distributions over 4 outcomes with t ∈ U[−2, 2], 2 experts with
   * costs U[0, 1.5].
   */
  @Test
  void minimiserPredictsTheMeanAndRoutesToTheCheapestAgent() {
    SplittableRandom rnd = new SplittableRandom(501);
    int checked = 0;
    int deferred = 0;
    while (checked < 15) {
      double[] prob = ConditionalRisk.simplex(rnd, 4);
      double[] t = new double[4];
      double mean = 0;
      for (int o = 0; o < 4; o++) {
        t[o] = 4 * rnd.nextDouble() - 2;
        mean += prob[o] * t[o];
      }
      double[] expected = new double[3];
      List<Weighted> dist = new ArrayList<>();
      for (int o = 0; o < 4; o++) {
        double[] c = {Double.NaN, 1.5 * rnd.nextDouble(), 1.5 * rnd.nextDouble()};
        expected[0] += prob[o] * (t[o] - mean) * (t[o] - mean);
        expected[1] += prob[o] * c[1];
        expected[2] += prob[o] * c[2];
        dist.add(new Weighted(Target.regression(t[o], c), prob[o]));
      }
      double[] sorted = expected.clone();
      java.util.Arrays.sort(sorted);
      if (sorted[1] - sorted[0] < 0.05) {
        continue;
      }
      int best =
          ConditionalRisk.argmax(new double[] {-expected[0], -expected[1], -expected[2]}, 0, 3);
      double[] x = ConditionalRisk.minimise(subject(), new double[4], dist, 3000, null);
      assertThat(x[0]).as("predictor at the minimiser").isCloseTo(mean, within(1e-6));
      assertThat(subject().route(x, 0, 2)).isEqualTo(best);
      deferred += best > 0 ? 1 : 0;
      checked++;
    }
    assertThat(deferred).isBetween(1, 14);
  }

  /** With no expert observed the loss is the regression loss itself (eq. 14 with J = 0). */
  @Test
  void withoutExpertsItIsTheRegressionLoss() {
    double v =
        subject()
            .value(new double[] {0.5, 0.3, -0.2}, Target.regression(2.0, Double.NaN, Double.NaN));
    assertThat(v).isCloseTo(2.25, within(1e-15));
  }

  @Nested
  class ClippedAbsolute implements SurrogateContract {
    @Override
    public Surrogate subject() {
      return Surrogates.regression(RegressionLoss.ABSOLUTE, 0.8);
    }

    @Override
    public double maxCost() {
      return 1.5;
    }

    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.range(1, c.scores().length);
    }
  }

  @Nested
  class SmoothL1 implements SurrogateContract {
    @Override
    public Surrogate subject() {
      return Surrogates.regression(RegressionLoss.SMOOTH_L1);
    }

    @Override
    public double maxCost() {
      return 1.5;
    }
  }
}
