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

/** Accuracy–coverage curves: a hand-computed 4-row case, ties, weights and a consistency check. */
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
}
