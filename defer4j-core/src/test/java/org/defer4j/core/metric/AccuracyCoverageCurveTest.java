package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.junit.jupiter.api.Test;

/**
 * Accuracy–coverage curves: a hand-computed 4-row case, ties, weights and a consistency check; the
 * sweep's fixed rows and unknown correctness; chart thinning ({@link
 * AccuracyCoverageCurve#points(int)}), interpolation at the ends and on repeated coverages,
 * equality and the text form.
 *
 * <p>Equivalent mutants (PIT, docs/quality.md), reviewed and accepted:
 *
 * <ul>
 *   <li>AccuracyCoverageCurve:188 and :189, {@code keys[..] + 0.0} → {@code − 0.0}: the sum only
 *       turns −0.0 into 0.0, and the keys are only compared with {@code ==}, for which −0.0 == 0.0
 *       already; no result changes.
 *   <li>AccuracyCoverageCurve:234, {@code !(totalWeight > 0)} → {@code !(totalWeight >= 0)}:
 *       weights are finite and ≥ 0 and costs finite, so a total weight of 0 makes kept, correct and
 *       cost 0 too, and the mutant's 0/0 gives the same NaN as the guard.
 *   <li>AccuracyCoverageCurve:281, {@code k < maxPoints − 1} → {@code k <= maxPoints − 1} and →
 *       {@code k < maxPoints + 1}: the extra targets are hi itself and beyond it, whose nearest
 *       vertex is the last one, which the {@code v < m − 1} guard skips (the last point is added
 *       anyway).
 *   <li>AccuracyCoverageCurve:297, {@code k >= 0} → {@code k > 0}: an exact hit at index 0 would
 *       need a target equal to the first coverage, but every target of {@code points(int)} lies
 *       strictly above it.
 *   <li>AccuracyCoverageCurve:304 (boundary) and :305 (both mutants): the {@code hiIdx >= length}
 *       branch of {@code nearest} is unreachable from {@code points(int)}, whose targets lie
 *       strictly below the last coverage; it is a guard for a private helper.
 *   <li>AccuracyCoverageCurve:367, {@code 31 * a + b} → {@code 31 * a − b} and → {@code 31 / a +
 *       b}: any function of the arrays is a valid hash code; the contract (equal curves, equal
 *       hashes) is tested, and so is that two different curves hash differently (which kills
 *       "return 0").
 * </ul>
 */
class AccuracyCoverageCurveTest {
  private static final double TOL = 1e-12;
  private static final AgentSet AGENTS =
      AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0), Agent.expert("b", 0)));

  /** 0-1 costs from correctness; b always wrong. */
  private static CostMatrix costs(int[] model, int[] a) {
    int n = model.length;
    double[] c = new double[3 * n];
    byte[] k = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      k[3 * i] = (byte) model[i];
      k[3 * i + 1] = (byte) a[i];
      c[3 * i] = 1 - model[i];
      c[3 * i + 1] = 1 - a[i];
      c[3 * i + 2] = 1;
    }
    return new CostMatrix(AGENTS, n, c, k);
  }

  @Test
  void handComputedCurve() {
    // Model right on rows (1, 0, 1, 0), expert a on (1, 1, 0, 1); scores 0.1, 0.9, 0.5, 0.7 keep
    // rows in the order 0, 2, 3, 1.
    // coverage 0: all to a -> acc 3/4, cost 1/4; 0.25 (row 0 kept, both right) -> 3/4, 1/4;
    // 0.5 (row 2: model right, a wrong) -> 1, 0; 0.75 (row 3: model wrong, a right) -> 3/4, 1/4;
    // 1 (row 1: model wrong, a right) -> 1/2, 1/2.
    // Trapezoids (Δ = 1/4): accuracy (0.75 + 0.875 + 0.875 + 0.625)/4 = 0.78125;
    // cost (0.25 + 0.125 + 0.125 + 0.375)/4 = 0.21875.
    CostMatrix c = costs(new int[] {1, 0, 1, 0}, new int[] {1, 1, 0, 1});
    AccuracyCoverageCurve curve =
        AccuracyCoverageCurve.of(c, new double[] {0.1, 0.9, 0.5, 0.7}, 1, null);
    List<AccuracyCoverageCurve.Point> p = curve.points();
    assertThat(p).hasSize(5);
    double[][] expected = {
      {0, 0.75, 0.25}, {0.25, 0.75, 0.25}, {0.5, 1, 0}, {0.75, 0.75, 0.25}, {1, 0.5, 0.5}
    };
    for (int k = 0; k < 5; k++) {
      assertThat(p.get(k).coverage()).isCloseTo(expected[k][0], within(TOL));
      assertThat(p.get(k).accuracy()).isCloseTo(expected[k][1], within(TOL));
      assertThat(p.get(k).cost()).isCloseTo(expected[k][2], within(TOL));
    }
    assertThat(curve.areaUnderAccuracy()).isCloseTo(0.78125, within(TOL));
    assertThat(curve.areaUnderCost()).isCloseTo(0.21875, within(TOL));
  }

  @Test
  void tiedScoresMoveTogether() {
    // Rows 0 and 1 share a score: one point for both, so 3 distinct scores -> 4 points.
    CostMatrix c = costs(new int[] {1, 0, 1, 0}, new int[] {1, 1, 0, 1});
    AccuracyCoverageCurve curve =
        AccuracyCoverageCurve.of(c, new double[] {0.5, 0.5, 0.1, 0.9}, 1, null);
    assertThat(curve.points())
        .extracting(AccuracyCoverageCurve.Point::coverage)
        .containsExactly(0.0, 0.25, 0.75, 1.0);
  }

  @Test
  void perRowTargetsAndWeights() {
    // Row 1 defers to b (wrong), the others to a. Weights 2, 1, 1, 0 (total 4).
    // Keep order by score: 0, 2, 3, 1. Coverage 0: a, b, a, a -> costs 0, 1, 1, 0 weighted
    // (0 + 1 + 1 + 0)/4 = 0.5. Coverage at row 0 kept: 2/4 = 0.5, cost unchanged (both right).
    CostMatrix c = costs(new int[] {1, 0, 1, 0}, new int[] {1, 1, 0, 1});
    DeferralTable t = DeferralTable.builder("w.csv", 4).weights(new double[] {2, 1, 1, 0}).build();
    AccuracyCoverageCurve curve =
        AccuracyCoverageCurve.of(c, new double[] {0.1, 0.9, 0.5, 0.7}, new int[] {1, 2, 1, 1}, t);
    assertThat(curve.points().get(0).cost()).isCloseTo(0.5, within(TOL));
    assertThat(curve.points().get(1).coverage()).isCloseTo(0.5, within(TOL));
    assertThat(curve.points().get(1).cost()).isCloseTo(0.5, within(TOL));
    // Row 2 kept (model right instead of a wrong): cost 0.25, coverage 0.75.
    assertThat(curve.points().get(2).coverage()).isCloseTo(0.75, within(TOL));
    assertThat(curve.points().get(2).cost()).isCloseTo(0.25, within(TOL));
    assertThat(curve.points().get(4).coverage()).isEqualTo(1.0);
  }

  @Test
  void everyPointMatchesTheReportOfItsDecisions() {
    SplittableRandom rng = new SplittableRandom(5);
    int n = 60;
    int[] m = new int[n];
    int[] a = new int[n];
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      m[i] = rng.nextInt(2);
      a[i] = rng.nextInt(2);
      s[i] = rng.nextInt(20) / 20.0; // many ties
    }
    CostMatrix c = costs(m, a);
    AccuracyCoverageCurve curve = AccuracyCoverageCurve.of(c, s, 1, null);
    for (AccuracyCoverageCurve.Point p : curve.points()) {
      // The kept rows at this point are those with the lowest scores covering p.coverage().
      double[] sorted = s.clone();
      Arrays.sort(sorted);
      int kept = (int) Math.round(p.coverage() * n);
      double cut = kept == 0 ? Double.NEGATIVE_INFINITY : sorted[kept - 1];
      int[] d = new int[n];
      for (int i = 0; i < n; i++) {
        d[i] = s[i] <= cut ? 0 : 1;
      }
      DeferralReport r = DeferralMetrics.evaluate(c, d, null);
      assertThat(r.coverage()).isCloseTo(p.coverage(), within(TOL));
      assertThat(r.systemAccuracy()).isCloseTo(p.accuracy(), within(TOL));
      assertThat(r.meanCost()).isCloseTo(p.cost(), within(TOL));
    }
  }

  @Test
  void edgeCases() {
    CostMatrix empty = new CostMatrix(AGENTS, 0, new double[0], new byte[0]);
    AccuracyCoverageCurve none = AccuracyCoverageCurve.of(empty, new double[0], 1, null);
    assertThat(none.points()).isEmpty();
    assertThat(none.areaUnderAccuracy()).isNaN();
    CostMatrix c = costs(new int[] {1, 0}, new int[] {1, 1});
    assertThatThrownBy(() -> AccuracyCoverageCurve.of(c, new double[] {0.1, Double.NaN}, 1, null))
        .hasMessageContaining("rejection scores[1] must be finite");
    assertThatThrownBy(() -> AccuracyCoverageCurve.of(c, new double[] {0.1}, 1, null))
        .hasMessageContaining("rejection scores has length 1, expected 2");
  }

  /** A curve through given coverages, with accuracy = coverage / 2 and cost = 1 − coverage. */
  private static AccuracyCoverageCurve through(double... coverage) {
    double[] acc = new double[coverage.length];
    double[] cost = new double[coverage.length];
    for (int k = 0; k < coverage.length; k++) {
      acc[k] = coverage[k] / 2;
      cost[k] = 1 - coverage[k];
    }
    return AccuracyCoverageCurve.ofPoints(coverage.clone(), acc, cost);
  }

  private static List<Double> coverages(List<AccuracyCoverageCurve.Point> points) {
    return points.stream().map(AccuracyCoverageCurve.Point::coverage).toList();
  }

  @Test
  void unavailableModelIsReplacedByTheFirstAvailableAgent() {
    // Row 0: the model is unavailable (NaN), a costs 0 (right), b 1 (wrong); row 1: m right (0),
    // a right (0), b wrong (1). Everything deferred goes to b. Keeping row 0 means giving it to the
    // first available agent, a. Scores 0.1, 0.2: keep row 0 first.
    // Coverage 0: b, b -> cost (1 + 1)/2 = 1, accuracy 0. Row 0 kept (a): cost (0 + 1)/2 = 0.5,
    // accuracy 1/2. Row 1 kept (m): cost 0, accuracy 1.
    double nan = Double.NaN;
    CostMatrix c =
        new CostMatrix(
            AGENTS, 2, new double[] {nan, 0, 1, 0, 0, 1}, new byte[] {-1, 1, 0, 1, 1, 0});
    AccuracyCoverageCurve curve = AccuracyCoverageCurve.of(c, new double[] {0.1, 0.2}, 2, null);
    assertThat(curve.points())
        .containsExactly(
            new AccuracyCoverageCurve.Point(0, 0, 1),
            new AccuracyCoverageCurve.Point(0.5, 0.5, 0.5),
            new AccuracyCoverageCurve.Point(1, 1, 0));
  }

  @Test
  void unknownCorrectnessMakesAPointsAccuracyNaNUntilItLeaves() {
    // Row 0: model right, a's correctness unknown; row 1: model unknown, a right (all costs 0.5).
    // Deferred rows go to a; scores 0.1, 0.2 keep row 0 first.
    // Coverage 0: row 0 deferred to a (unknown) -> NaN. Coverage 1/2: row 0 kept (right), row 1 to
    // a (right) -> accuracy 1. Coverage 1: row 1 kept by the model (unknown) -> NaN again.
    CostMatrix c =
        new CostMatrix(
            AGENTS,
            2,
            new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5},
            new byte[] {1, -1, 0, -1, 1, 0});
    AccuracyCoverageCurve curve = AccuracyCoverageCurve.of(c, new double[] {0.1, 0.2}, 1, null);
    assertThat(curve.size()).isEqualTo(3);
    assertThat(curve.point(0).accuracy()).isNaN();
    assertThat(curve.point(1).accuracy()).isEqualTo(1.0);
    assertThat(curve.point(2).accuracy()).isNaN();
    assertThat(curve.point(1).cost()).isEqualTo(0.5);
  }

  @Test
  void sweepCountsFixedRowsWithTheirWeights() {
    // Row 0 is KEPT at every point (weight 2, kept cost 0.5, right); row 1 is movable (weight 1,
    // deferred cost 0 and right, kept cost 0.25 and wrong). Total weight 3.
    // Point 0: kept weight 2 -> coverage 2/3; cost 2·0.5 + 1·0 = 1 -> 1/3; right 2 + 1 -> 1.
    // Point 1: row 1 kept -> coverage exactly 1; cost 1 + 0.25 -> 1.25/3; right 2 -> 2/3.
    AccuracyCoverageCurve curve =
        AccuracyCoverageCurve.sweep(
            2,
            new double[] {2, 1},
            new double[] {0.5, 0.25},
            new byte[] {1, 0},
            new double[] {1, 0},
            new byte[] {0, 1},
            new byte[] {AccuracyCoverageCurve.KEPT, AccuracyCoverageCurve.MOVABLE},
            new double[] {0, 0});
    assertThat(curve.size()).isEqualTo(2);
    assertThat(curve.point(0).coverage()).isCloseTo(2 / 3.0, within(TOL));
    assertThat(curve.point(0).cost()).isCloseTo(1 / 3.0, within(TOL));
    assertThat(curve.point(0).accuracy()).isCloseTo(1.0, within(TOL));
    assertThat(curve.point(1).coverage()).isEqualTo(1.0);
    assertThat(curve.point(1).cost()).isCloseTo(1.25 / 3, within(TOL));
    assertThat(curve.point(1).accuracy()).isCloseTo(2 / 3.0, within(TOL));
  }

  @Test
  void deferralTargetsOfAnotherLengthAreRefused() {
    CostMatrix c = costs(new int[] {1, 0}, new int[] {1, 1});
    assertThatThrownBy(
            () -> AccuracyCoverageCurve.of(c, new double[] {0.1, 0.2}, new int[] {1, 1, 1}, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deferral targets has length 3, expected 2");
  }

  @Test
  void chartPointsKeepTheEndsAndTheVerticesNearestToEvenlySpacedCoverages() {
    // Span [0.25, 1], 4 points: targets 0.25 + 0.75·k/3 = 0.5 (a vertex, hit exactly) and 0.75
    // (between 0.625 and 1: 0.125 vs 0.25 away -> 0.625).
    AccuracyCoverageCurve a = through(0.25, 0.5, 0.5625, 0.625, 1.0);
    assertThat(coverages(a.points(4))).containsExactly(0.25, 0.5, 0.625, 1.0);
    assertThat(a.points(4).get(1)).isEqualTo(a.point(1));
    // Targets 0.25, 0.5, 0.75 on a curve with a gap from 0.1875 to 0.9375: 0.25 and 0.5 both
    // land on 0.1875 (0.0625 and 0.3125 away, against 0.6875 and 0.4375), counted once; 0.75 on
    // 0.9375.
    AccuracyCoverageCurve b = through(0, 0.0625, 0.125, 0.1875, 0.9375, 1.0);
    assertThat(coverages(b.points(5))).containsExactly(0.0, 0.1875, 0.9375, 1.0);
    // Targets 1/3 and 2/3: 1/3 lands on 0.1875, 2/3 on the last vertex, which is not repeated.
    AccuracyCoverageCurve c = through(0, 0.0625, 0.125, 0.1875, 1.0);
    assertThat(coverages(c.points(4))).containsExactly(0.0, 0.1875, 1.0);
    // A target half-way between two vertices (0.5 between 0.25 and 0.75) takes the lower one.
    AccuracyCoverageCurve d = through(0, 0.25, 0.75, 0.875, 1.0);
    assertThat(coverages(d.points(3))).containsExactly(0.0, 0.25, 1.0);
    // No thinning when the curve has no more points than asked for, even uneven ones.
    AccuracyCoverageCurve e = through(0, 0.1, 0.5, 1.0);
    assertThat(e.points(4)).isEqualTo(e.points());
    assertThat(e.points(5)).hasSize(4);
    assertThat(coverages(e.points(3))).containsExactly(0.0, 0.5, 1.0);
    assertThat(coverages(e.points(2))).containsExactly(0.0, 1.0);
    assertThatThrownBy(() -> e.points(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a chart needs at least 2 points, got 1");
  }

  @Test
  void interpolationAtTheEndsAndOnRepeatedCoverages() {
    // The hand-computed curve: coverage 0 and 1 are its own end points, not NaN.
    CostMatrix c = costs(new int[] {1, 0, 1, 0}, new int[] {1, 1, 0, 1});
    AccuracyCoverageCurve curve =
        AccuracyCoverageCurve.of(c, new double[] {0.1, 0.9, 0.5, 0.7}, 1, null);
    assertThat(curve.at(0)).isEqualTo(curve.point(0));
    assertThat(curve.at(1)).isEqualTo(curve.point(4));
    assertThat(curve.at(Math.nextUp(1.0)).cost()).isNaN();
    assertThat(curve.at(-Double.MIN_VALUE).accuracy()).isNaN();
    // A zero-weight block repeats a coverage: the curve there is the last of the equal points.
    AccuracyCoverageCurve repeated =
        AccuracyCoverageCurve.ofPoints(
            new double[] {0, 0.5, 0.5, 1},
            new double[] {0.1, 0.2, 0.3, 0.4},
            new double[] {0.9, 0.8, 0.7, 0.6});
    assertThat(repeated.at(0.5)).isEqualTo(new AccuracyCoverageCurve.Point(0.5, 0.3, 0.7));
    assertThat(repeated.at(0)).isEqualTo(new AccuracyCoverageCurve.Point(0, 0.1, 0.9));
  }

  @Test
  void equalityHashAndText() {
    AccuracyCoverageCurve a = through(0, 0.5, 1);
    assertThat(a).isEqualTo(through(0, 0.5, 1)).hasSameHashCodeAs(through(0, 0.5, 1));
    assertThat(a).isNotEqualTo(through(0, 0.25, 1));
    assertThat(a.hashCode()).isNotEqualTo(through(0, 0.25, 1).hashCode());
    assertThat(a)
        .isNotEqualTo(
            AccuracyCoverageCurve.ofPoints(
                new double[] {0, 0.5, 1}, new double[] {0, 0.25, 0.4}, new double[] {1, 0.5, 0}));
    assertThat(a)
        .isNotEqualTo(
            AccuracyCoverageCurve.ofPoints(
                new double[] {0, 0.5, 1}, new double[] {0, 0.25, 0.5}, new double[] {1, 0.5, 0.1}));
    assertThat(a).isNotEqualTo("a curve");
    // The hand-computed curve: 5 points, areas 0.78125 and 0.21875 (see handComputedCurve).
    CostMatrix c = costs(new int[] {1, 0, 1, 0}, new int[] {1, 1, 0, 1});
    assertThat(AccuracyCoverageCurve.of(c, new double[] {0.1, 0.9, 0.5, 0.7}, 1, null))
        .hasToString(
            "AccuracyCoverageCurve[5 points, area under accuracy 0.78125, area under cost"
                + " 0.21875]");
  }
}
