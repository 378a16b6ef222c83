package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.junit.jupiter.api.Test;

/**
 * Percentile bootstrap: determinism, degenerate cases and the coverage of its intervals.
 *
 * <p>Equivalent mutant (PIT, docs/quality.md), reviewed and accepted: Bootstrap:119, {@code den >
 * 0} → {@code den >= 0}: weights are ≥ 0 and values finite, so a resample of weight 0 has num = 0
 * too and 0/0 is the same NaN.
 */
class BootstrapTest {
  private static final AgentSet AGENTS =
      AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0)));

  @Test
  void sameSeedSameInterval() {
    double[] v = new double[100];
    SplittableRandom data = new SplittableRandom(1);
    for (int i = 0; i < v.length; i++) {
      v[i] = data.nextDouble();
    }
    Bootstrap.Interval a = Bootstrap.mean(v, null, 500, 0.95, new SplittableRandom(9));
    Bootstrap.Interval b = Bootstrap.mean(v, null, 500, 0.95, new SplittableRandom(9));
    assertThat(a).isEqualTo(b);
    assertThat(a.lower()).isLessThan(a.estimate());
    assertThat(a.upper()).isGreaterThan(a.estimate());
    assertThat(a.level()).isEqualTo(0.95);
    assertThat(a.resamples()).isEqualTo(500);
  }

  @Test
  void constantStatisticCollapses() {
    // Every resample of a constant has the same mean.
    Bootstrap.Interval c =
        Bootstrap.mean(new double[] {2, 2, 2, 2}, null, 200, 0.9, new SplittableRandom(3));
    assertThat(c.estimate()).isEqualTo(2.0);
    assertThat(c.lower()).isEqualTo(2.0);
    assertThat(c.upper()).isEqualTo(2.0);
  }

  @Test
  void intervalsCoverTheTrueMeanAtAboutTheirLevel() {
    // 200 samples of n = 300 Bernoulli(0.3); a 90 % interval should miss 0.3 about 20 times.
    // Binomial(200, 0.1) has sd 4.2: accept 8 to 36 misses (~ ±3.5 sd; the percentile bootstrap
    // undercovers slightly at this n).
    SplittableRandom rng = new SplittableRandom(2025);
    int misses = 0;
    for (int rep = 0; rep < 200; rep++) {
      double[] v = new double[300];
      for (int i = 0; i < v.length; i++) {
        v[i] = rng.nextDouble() < 0.3 ? 1 : 0;
      }
      if (!Bootstrap.mean(v, null, 400, 0.9, rng).contains(0.3)) {
        misses++;
      }
    }
    assertThat(misses).isBetween(8, 36);
  }

  @Test
  void systemAccuracyAndCostIntervals() {
    // 4 rows: decisions m, a, m, a; chosen costs 0, 1, 0, 0 -> mean 0.25; all correctness known.
    CostMatrix c =
        new CostMatrix(
            AGENTS, 4, new double[] {0, 1, 1, 1, 0, 0, 1, 0}, new byte[] {1, 0, 0, 0, 1, 1, 0, 1});
    int[] d = {0, 1, 0, 1};
    Bootstrap.Interval cost = Bootstrap.meanCost(c, d, null, 300, 0.95, new SplittableRandom(1));
    assertThat(cost.estimate()).isCloseTo(0.25, within(1e-12));
    assertThat(cost.lower()).isBetween(0.0, 0.25);
    assertThat(cost.upper()).isBetween(0.25, 1.0);
    Bootstrap.Interval acc =
        Bootstrap.systemAccuracy(c, d, null, 300, 0.95, new SplittableRandom(1));
    assertThat(acc.estimate()).isCloseTo(0.75, within(1e-12));
    // Unknown correctness -> NaN interval; no rows -> NaN interval.
    CostMatrix unknown = new CostMatrix(AGENTS, 1, new double[] {0.5, 0.5}, new byte[] {-1, -1});
    assertThat(
            Bootstrap.systemAccuracy(unknown, new int[] {0}, null, 10, 0.9, new SplittableRandom(1))
                .estimate())
        .isNaN();
    Bootstrap.Interval empty =
        Bootstrap.mean(new double[0], null, 10, 0.9, new SplittableRandom(1));
    assertThat(empty.estimate()).isNaN();
    assertThat(empty.lower()).isNaN();
  }

  @Test
  void anyStatisticAndValidation() {
    // The median of a resample of {1, 2, 3}: the estimate is 2.
    Bootstrap.Interval med =
        Bootstrap.statistic(
            3,
            rows -> {
              double[] v = new double[rows.length];
              for (int i = 0; i < rows.length; i++) {
                v[i] = rows[i] + 1;
              }
              java.util.Arrays.sort(v);
              return v[v.length / 2];
            },
            200,
            0.8,
            new SplittableRandom(4));
    assertThat(med.estimate()).isEqualTo(2.0);
    assertThat(med.lower()).isBetween(1.0, 2.0);
    assertThat(med.upper()).isBetween(2.0, 3.0);
    assertThatThrownBy(
            () -> Bootstrap.mean(new double[] {1}, null, 10, 1.0, new SplittableRandom(1)))
        .hasMessageContaining("(0, 1)");
    assertThatThrownBy(
            () -> Bootstrap.mean(new double[] {1}, null, 0, 0.9, new SplittableRandom(1)))
        .hasMessageContaining("resamples");
    assertThatThrownBy(
            () -> Bootstrap.mean(new double[] {Double.NaN}, null, 10, 0.9, new SplittableRandom(1)))
        .hasMessageContaining("values[0] must be finite");
  }

  @Test
  void intervalsAreClosed() {
    Bootstrap.Interval i = new Bootstrap.Interval(0.5, 0.25, 0.75, 0.9, 10);
    assertThat(i.contains(0.25)).isTrue();
    assertThat(i.contains(0.75)).isTrue();
    assertThat(i.contains(Math.nextDown(0.25))).isFalse();
    assertThat(i.contains(Math.nextUp(0.75))).isFalse();
  }

  @Test
  void everyReplicateNaNGivesNaNBoundsAroundTheEstimate() {
    // The statistic is 2 on the original rows (the first call) and NaN on every resample.
    int[] calls = {0};
    Bootstrap.Interval i =
        Bootstrap.statistic(
            3, rows -> calls[0]++ == 0 ? 2.0 : Double.NaN, 20, 0.9, new SplittableRandom(1));
    assertThat(i).isEqualTo(new Bootstrap.Interval(2.0, Double.NaN, Double.NaN, 0.9, 20));
    assertThat(calls[0]).isEqualTo(21);
  }

  @Test
  void weightsAndLevelsAreValidated() {
    SplittableRandom rng = new SplittableRandom(1);
    assertThatThrownBy(
            () -> Bootstrap.mean(new double[] {1, 2}, new double[] {1, 1, 1}, 5, 0.9, rng))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights has length 3, expected 2");
    assertThatThrownBy(() -> Bootstrap.mean(new double[] {1, 2}, new double[] {1, -1}, 5, 0.9, rng))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight 1 must be finite and >= 0, got -1.0");
    assertThatThrownBy(() -> Bootstrap.mean(new double[] {1}, null, 5, 0.0, rng))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidence level must be in (0, 1), got 0.0");
  }

  @Test
  void type7QuantilesAtTheEndsAndOfASingleValue() {
    // h = (n − 1)·q: q = 1 is the largest value; one value is every quantile of itself.
    assertThat(Bootstrap.quantile(new double[] {1, 2, 3, 4}, 1.0)).isEqualTo(4.0);
    assertThat(Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.5)).isEqualTo(2.5);
    assertThat(Bootstrap.quantile(new double[] {5}, 0.975)).isEqualTo(5.0);
    // Only one replicate is not NaN: both bounds are it.
    assertThat(Bootstrap.percentile(2, new double[] {Double.NaN, 3}, 0.9, 2))
        .isEqualTo(new Bootstrap.Interval(2, 3, 3, 0.9, 2));
  }
}
