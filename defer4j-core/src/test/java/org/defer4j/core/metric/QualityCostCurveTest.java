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
 * The quality–cost curve of a router, the random line and the oracle, with every expected number
 * derived in the comments (the four questions below, or small cases in the tests).
 *
 * <p>Equivalent mutants (PIT, docs/quality.md), reviewed and accepted:
 *
 * <ul>
 *   <li>QualityCostCurve:246, {@code k < points.size()} → {@code <=}, and :256 ({@code return
 *       strong} replaced by 0): every curve ends at share exactly 1.0 (t/n with t = n, the random
 *       line's 1.0, the oracle's (positive − 0)/n = 1 or its explicit 1.0) and the share is checked
 *       to be ≤ 1, so the loop always returns from its last segment and never falls through.
 *   <li>QualityCostCurve:248, {@code share <= b.strongShare()} → {@code <}: at a vertex the mutant
 *       takes the next segment, whose start is that vertex, and returns its quality with a weight 0
 *       instead of a + 1·(b − a) on the segment ending there — the same number up to rounding (no
 *       share is repeated, so the next span is never 0).
 * </ul>
 */
class QualityCostCurveTest {
  private static final double TOL = 1e-12;

  // Four questions: weak right only on q1; strong right on q1, q2, q3. W = 0.25, S = 0.75.
  private static final double[] WEAK = {1, 0, 0, 0};
  private static final double[] STRONG = {1, 1, 1, 0};
  private static final double[] SCORES = {0.1, 0.9, 0.5, 0.3};

  @Test
  void handComputedCurve() {
    QualityCostCurve c = QualityCostCurve.of(SCORES, WEAK, STRONG);
    // Order by score: q2 (+1), q3 (+1), q4 (0), q1 (0).
    double[][] expected = {{0, 0.25}, {0.25, 0.5}, {0.5, 0.75}, {0.75, 0.75}, {1, 0.75}};
    assertThat(c.points()).hasSize(5);
    for (int k = 0; k < 5; k++) {
      assertThat(c.points().get(k).strongShare()).isCloseTo(expected[k][0], within(TOL));
      assertThat(c.points().get(k).quality()).isCloseTo(expected[k][1], within(TOL));
    }
    assertThat(c.points().get(0).threshold()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(c.points().get(2).threshold()).isEqualTo(0.5);
    // Trapezoids: .25(.25+.5)/2 + .25(.5+.75)/2 + .25(.75) + .25(.75) = 0.625.
    assertThat(c.area()).isCloseTo(0.625, within(TOL));
    // APGR = (0.625 - 0.25) / (0.75 - 0.25) = 0.75.
    assertThat(c.apgr()).isCloseTo(0.75, within(TOL));
    // CPT(50%): target 0.5, reached at share 0.25; CPT(80%): target 0.65 on the segment
    // (0.25, 0.5)-(0.5, 0.75): 0.25 + 0.15 / 0.25 * 0.25 = 0.4.
    assertThat(c.callsToRecover(0.5)).isCloseTo(0.25, within(TOL));
    assertThat(c.callsToRecover(0.8)).isCloseTo(0.4, within(TOL));
    assertThat(c.callsToRecover(0.0)).isZero();
    assertThat(c.qualityAt(0.125)).isCloseTo(0.375, within(TOL));
  }

  @Test
  void operatingPoints() {
    QualityCostCurve c = QualityCostCurve.of(SCORES, WEAK, STRONG);
    // Cost (1 - q) + 0.1 p: 0.75, 0.525, 0.30, 0.325, 0.35 -> share 0.5 (threshold 0.5).
    QualityCostCurve.Point p = c.cheapest(0.1);
    assertThat(p.strongShare()).isEqualTo(0.5);
    assertThat(p.threshold()).isEqualTo(0.5);
    // A fee above every gain keeps everything on the weak model.
    assertThat(c.cheapest(2.0).strongShare()).isZero();
    // Thresholds from elsewhere: questions with score >= theta go strong.
    assertThat(c.atThreshold(0.4).strongShare()).isEqualTo(0.5);
    assertThat(c.atThreshold(0.5).strongShare()).isEqualTo(0.5);
    assertThat(c.atThreshold(0.95).strongShare()).isZero();
    assertThat(c.atThreshold(-5).strongShare()).isEqualTo(1.0);
  }

  @Test
  void tiedScoresGiveTheRandomLine() {
    // One tie block: the only points are (0, W) and (1, S), the random router's expectation.
    QualityCostCurve c = QualityCostCurve.of(new double[] {3, 3, 3, 3}, WEAK, STRONG);
    assertThat(c.points()).hasSize(2);
    assertThat(c.apgr()).isCloseTo(0.5, within(TOL));
    QualityCostCurve r = QualityCostCurve.random(0.25, 0.75);
    assertThat(r.area()).isCloseTo(0.5, within(TOL));
    assertThat(r.apgr()).isCloseTo(0.5, within(TOL));
    // On the line W + p (S - W), CPT(x) = x.
    assertThat(r.callsToRecover(0.5)).isCloseTo(0.5, within(TOL));
    assertThat(r.callsToRecover(0.8)).isCloseTo(0.8, within(TOL));
  }

  @Test
  void randomScoresAverageToTheStraightLine() {
    // Monte Carlo over 400 seeded random routers on 300 questions: the mean APGR is 1/2 (the
    // random router's exact expectation); its standard error here is about 0.003.
    SplittableRandom rng = new SplittableRandom(7);
    int n = 300;
    double[] w = new double[n];
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = rng.nextDouble() < 0.6 ? 1 : 0;
      s[i] = rng.nextDouble() < 0.8 ? 1 : 0;
    }
    double sum = 0;
    int reps = 400;
    for (int r = 0; r < reps; r++) {
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        scores[i] = rng.nextDouble();
      }
      sum += QualityCostCurve.of(scores, w, s).apgr();
    }
    assertThat(sum / reps).isCloseTo(0.5, within(0.015));
  }

  @Test
  void oracleClosedFormOnBinaryOutcomes() {
    SplittableRandom rng = new SplittableRandom(11);
    int n = 1000;
    double[] w = new double[n];
    double[] s = new double[n];
    int weakRight = 0;
    int strongRight = 0;
    int gain = 0;
    for (int i = 0; i < n; i++) {
      w[i] = rng.nextDouble() < 0.68 ? 1 : 0;
      s[i] = rng.nextDouble() < 0.8 ? 1 : 0;
      weakRight += (int) w[i];
      strongRight += (int) s[i];
      gain += w[i] == 0 && s[i] == 1 ? 1 : 0;
    }
    double bigW = (double) weakRight / n;
    double bigS = (double) strongRight / n;
    double q = (double) gain / n;
    QualityCostCurve o = QualityCostCurve.oracle(w, s);
    // DATASETS.md / RouteLLM benchmarks.py: oracle quality at share p is W + min(p n, g) / n.
    for (int k = 0; k <= 100; k++) {
      double p = k / 100.0;
      assertThat(o.qualityAt(p)).isCloseTo(bigW + Math.min(p * n, gain) / n, within(1e-12));
    }
    // Integral of W + min(p, q) over [0, 1] = W + q - q^2 / 2.
    assertThat(o.area()).isCloseTo(bigW + q - q * q / 2, within(1e-12));
    assertThat(o.apgr(bigS)).isCloseTo((q - q * q / 2) / (bigS - bigW), within(1e-12));
    // The oracle reaches W + x (S - W) after x (S - W) calls (S - W <= q).
    assertThat(o.callsToRecover(0.5, bigS)).isCloseTo(0.5 * (bigS - bigW), within(1e-12));
    assertThat(o.callsToRecover(0.8, bigS)).isCloseTo(0.8 * (bigS - bigW), within(1e-12));
    assertThat(o.endQuality()).isCloseTo(bigW + q, within(1e-12));
  }

  @Test
  void routerThatKnowsTheGainsMatchesTheOracleUntilTheGainsRunOut() {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 500;
    double[] w = new double[n];
    double[] s = new double[n];
    double[] score = new double[n];
    int gain = 0;
    for (int i = 0; i < n; i++) {
      w[i] = rng.nextDouble() < 0.5 ? 1 : 0;
      s[i] = rng.nextDouble() < 0.7 ? 1 : 0;
      score[i] = s[i] - w[i];
      gain += score[i] > 0 ? 1 : 0;
    }
    QualityCostCurve perfect = QualityCostCurve.of(score, w, s);
    QualityCostCurve oracle = QualityCostCurve.oracle(w, s);
    for (int k = 0; k <= gain; k++) {
      double p = (double) k / n;
      assertThat(perfect.qualityAt(p)).isCloseTo(oracle.qualityAt(p), within(1e-12));
    }
    // Past the gains the router must also call the strong model where it loses.
    assertThat(perfect.area()).isLessThan(oracle.area());
  }

  @Test
  void gradedQualitiesAndBadInput() {
    // Judge grades in [0, 1]: gains 0.5 and 0.25 then a loss; the oracle stops at the gains.
    double[] w = {0.5, 0.25, 1.0};
    double[] s = {1.0, 0.5, 0.75};
    QualityCostCurve o = QualityCostCurve.oracle(w, s);
    // Points (0, 1.75/3), (1/3, 2.25/3), (2/3, 2.5/3), (1, 2.5/3).
    assertThat(o.points()).hasSize(4);
    assertThat(o.qualityAt(1.0 / 3)).isCloseTo(2.25 / 3, within(TOL));
    assertThat(o.endQuality()).isCloseTo(2.5 / 3, within(TOL));
    assertThatThrownBy(() -> QualityCostCurve.of(new double[] {Double.NaN, 0, 0}, w, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("router scores");
    assertThatThrownBy(() -> QualityCostCurve.of(new double[] {1, 2}, w, s))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QualityCostCurve.of(new double[0], new double[0], new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(QualityCostCurve.random(0.5, 0.5).apgr()).isNaN();
    assertThat(QualityCostCurve.random(0.5, 0.5).callsToRecover(0.5)).isNaN();
  }

  @Test
  void curveOfACostMatrixReadsItsCorrectness() {
    // Agents m (weak), a, b (strong): the correctness codes of m and b are WEAK and STRONG.
    AgentSet agents =
        AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0), Agent.expert("b", 0)));
    double[] cost = new double[12];
    byte[] k = new byte[12];
    for (int i = 0; i < 4; i++) {
      k[3 * i] = (byte) WEAK[i];
      k[3 * i + 1] = CostMatrix.UNKNOWN;
      k[3 * i + 2] = (byte) STRONG[i];
    }
    CostMatrix c = new CostMatrix(agents, 4, cost, k);
    assertThat(QualityCostCurve.of(c, SCORES, 0, 2).points())
        .isEqualTo(QualityCostCurve.of(SCORES, WEAK, STRONG).points());
    assertThat(QualityCostCurve.correctness(c, 0, 2)).isDeepEqualTo(new double[][] {WEAK, STRONG});
    // a's correctness is unknown: as the weak agent or as the strong one, the row and a are named.
    assertThatThrownBy(() -> QualityCostCurve.correctness(c, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("row 0: correctness of agent 1 is unknown");
    assertThatThrownBy(() -> QualityCostCurve.of(c, SCORES, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("row 0: correctness of agent 1 is unknown");
  }

  @Test
  void qualitiesAreValidatedForEveryCurve() {
    assertThatThrownBy(() -> QualityCostCurve.oracle(new double[0], new double[0]))
        .hasMessage("a quality–cost curve needs at least one question");
    assertThatThrownBy(() -> QualityCostCurve.oracle(new double[] {1, 0}, new double[] {1}))
        .hasMessage("strong qualities has length 1, expected 2");
    // The oracle's n is the number of weak qualities, so a length mismatch names the strong ones.
    assertThatThrownBy(() -> QualityCostCurve.oracle(new double[] {1}, new double[] {1, 0}))
        .hasMessage("strong qualities has length 2, expected 1");
    assertThatThrownBy(
            () -> QualityCostCurve.of(new double[] {1, 2}, new double[] {1}, new double[] {1, 0}))
        .hasMessage("weak qualities has length 1, expected 2");
    assertThatThrownBy(
            () -> QualityCostCurve.oracle(new double[] {Double.NaN, 0}, new double[] {1, 1}))
        .hasMessageStartingWith("weak qualities[0] must be finite");
    assertThatThrownBy(
            () ->
                QualityCostCurve.oracle(
                    new double[] {0, 0}, new double[] {1, Double.POSITIVE_INFINITY}))
        .hasMessageStartingWith("strong qualities[1] must be finite");
  }

  @Test
  void theOracleSkipsQuestionsWithoutGainAndEndsOnce() {
    // Gains 0, +1, −1: the oracle calls the strong model on the second question only. Points (0,
    // 2/3), (1/3, 1), then flat to (1, 1); the zero-gain question is not a vertex.
    QualityCostCurve o = QualityCostCurve.oracle(new double[] {1, 0, 1}, new double[] {1, 1, 0});
    assertThat(o.points())
        .extracting(QualityCostCurve.Point::strongShare)
        .containsExactly(0.0, 1 / 3.0, 1.0);
    assertThat(o.weakQuality()).isCloseTo(2 / 3.0, within(TOL));
    // Every gain positive (and equal): one vertex at share 1, not repeated.
    QualityCostCurve all = QualityCostCurve.oracle(new double[] {0, 0}, new double[] {1, 1});
    assertThat(all.points())
        .containsExactly(
            new QualityCostCurve.Point(0, 0, Double.NaN),
            new QualityCostCurve.Point(1, 1, Double.NaN));
  }

  @Test
  void interpolationAndRecoveryOnLaterSegments() {
    QualityCostCurve c = QualityCostCurve.of(SCORES, WEAK, STRONG);
    assertThat(c.weakQuality()).isEqualTo(0.25);
    // On the segment (0.25, 0.5)-(0.5, 0.75): 0.5 + (0.375 − 0.25)/0.25 · 0.25 = 0.625.
    assertThat(c.qualityAt(0.375)).isCloseTo(0.625, within(TOL));
    assertThat(c.qualityAt(0.875)).isCloseTo(0.75, within(TOL));
    assertThat(c.qualityAt(1.0)).isCloseTo(0.75, within(TOL));
    // CPT(100%): the target 0.75 is first reached at share 0.5 (the end of a segment).
    assertThat(c.callsToRecover(1.0)).isCloseTo(0.5, within(TOL));
    // A strong quality the curve never reaches: NaN.
    assertThat(c.callsToRecover(1.0, 2.0)).isNaN();
    assertThatThrownBy(() -> c.callsToRecover(1.5)).hasMessage("gap fraction 1.5 is not in [0, 1]");
    // A first question without gain: the curve starts flat, (0, 0.5)-(0.5, 0.5)-(1, 1); CPT(0) is
    // share 0, not the start of a flat segment.
    QualityCostCurve flat =
        QualityCostCurve.of(new double[] {0.9, 0.1}, new double[] {1, 0}, new double[] {1, 1});
    assertThat(flat.callsToRecover(0.0)).isZero();
    assertThat(flat.callsToRecover(0.5)).isCloseTo(0.75, within(TOL));
  }

  @Test
  void theCheapestPointWeighsFeeAgainstQualityAndPrefersTheSmallerShareOnTies() {
    QualityCostCurve c = QualityCostCurve.of(SCORES, WEAK, STRONG);
    // Cost (1 − q) + 0.4 p: 0.75, 0.6, 0.45, 0.55, 0.65 -> share 0.5.
    assertThat(c.cheapest(0.4).strongShare()).isEqualTo(0.5);
    // Fee 1: 0.75, 0.75, 0.75, 1.0, 1.25 -> a three-way tie, won by share 0.
    assertThat(c.cheapest(1.0).strongShare()).isZero();
    // Costs that differ by exactly the 1e-12 tolerance still count as a tie.
    assertThat(QualityCostCurve.random(0.5, 0.5 + 1e-12).cheapest(0.0).strongShare()).isZero();
    assertThat(QualityCostCurve.random(0.5, 0.5 + 1e-9).cheapest(0.0).strongShare()).isEqualTo(1.0);
  }
}
