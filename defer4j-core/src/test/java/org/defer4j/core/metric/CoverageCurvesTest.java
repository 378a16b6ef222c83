package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.Decisions;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's curves computed directly ({@link CoverageCurves}) on small matrices that the
 * six-case table of {@link EvaluatorCurvesTest} does not reach: the policy's own availability, tied
 * scores and tied costs, rows that cannot move, unknown correctness, zero weights and the random
 * curve's renormalisation. Every expected number is derived in the comments; agents m (the model),
 * a and b, fees 0, so a cost is whatever the matrix says.
 *
 * <p>Equivalent mutants (PIT, docs/quality.md), reviewed and accepted:
 *
 * <ul>
 *   <li>CoverageCurves:52 ({@code best < 0} → {@code best <= 0}), :59 and :64 ({@code best >= 0} →
 *       {@code best > 0}), :93 ({@code best < 0} → {@code best <= 0}), :98, :103 and :111 ({@code
 *       best >= 0} → {@code best > 0}): {@code best} is −1 or an expert index, and experts start at
 *       1, so it is never 0.
 *   <li>CoverageCurves:136, {@code !(sum > 0)} → {@code !(sum >= 0)}: the oracle's shares are sums
 *       of weights ≥ 0; when they sum to 0 the mutant leaves π at 0, so every row has norm 0 and
 *       takes the uniform 1/(available experts) of line 186 — exactly what π = 1 gives.
 * </ul>
 */
class CoverageCurvesTest {
  private static final double TOL = 1e-12;
  private static final double NAN = Double.NaN;
  private static final AgentSet AGENTS =
      AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0), Agent.expert("b", 0)));

  private static void assertPoint(
      AccuracyCoverageCurve.Point p, double coverage, double accuracy, double cost) {
    assertThat(p.coverage()).isCloseTo(coverage, within(TOL));
    assertThat(p.accuracy()).isCloseTo(accuracy, within(TOL));
    assertThat(p.cost()).isCloseTo(cost, within(TOL));
  }

  @Test
  void marginCurveRespectsThePolicysAvailabilityAndBreaksScoreTiesByIndex() {
    //   row  costs (correct)           scores (m, a, b)   the policy may use   margin
    //   0    m 1 (0) a 0 (1) b 1 (0)   0, 0.9, 0.5        m, b                 0.2
    //   1    m 1 (0) a 0 (1) b 1 (0)   0, 0.5, 0.5        m, a, b              0.1
    //   2    m 0 (1) a 1 (0) b 0 (1)   0, 0.1, 0.2        a, b                 0.3
    // Row 0 defers to b (a is best-scored but not available to the policy), row 1 to a (a and b
    // tie: the lower index), row 2 cannot be kept (the model is not available to the policy) and
    // goes to b at every point.
    // Coverage 0: b 1 (wrong), a 0 (right), b 0 (right) -> cost 1/3, accuracy 2/3.
    // Keep order by margin: row 1 (0.1) then row 0 (0.2).
    // Coverage 1/3: row 1 kept (m 1, wrong) -> cost 2/3, accuracy 1/3.
    // Coverage 2/3: row 0 kept (m 1, wrong instead of b 1, wrong) -> the same; row 2 never moves.
    CostMatrix c =
        new CostMatrix(
            AGENTS,
            3,
            new double[] {1, 0, 1, 1, 0, 1, 0, 1, 0},
            new byte[] {0, 1, 0, 0, 1, 0, 1, 0, 1});
    Availability av =
        Availability.of(
            AGENTS, new boolean[] {true, false, true, true, true, true, false, true, true});
    Decisions d =
        Decisions.builder(AGENTS, new int[] {2, 1, 2})
            .scores(new double[] {0, 0.9, 0.5, 0, 0.5, 0.5, 0, 0.1, 0.2})
            .availability(av)
            .build();
    AccuracyCoverageCurve curve =
        CoverageCurves.margin("p", c, d, new double[] {0.2, 0.1, 0.3}, null);
    assertThat(curve.size()).isEqualTo(3);
    assertPoint(curve.point(0), 0, 2 / 3.0, 1 / 3.0);
    assertPoint(curve.point(1), 1 / 3.0, 1 / 3.0, 2 / 3.0);
    assertPoint(curve.point(2), 2 / 3.0, 1 / 3.0, 2 / 3.0);
  }

  @Test
  void oracleCurveBreaksExpertCostTiesByIndex() {
    //   row  m        a          b
    //   0    1 (0)    0.5 (1)    0.5 (0)    a and b tie: the oracle's expert is a (right)
    //   1    0 (1)    1 (0)      1 (0)
    // Advantages (m − cheapest): 0.5 and −1, so row 1 is kept first.
    // Coverage 0: a 0.5 (right), a 1 (wrong) -> cost 0.75, accuracy 1/2; 1/2: row 1 kept (0,
    // right) -> 0.25, 1; 1: row 0 kept (1, wrong) -> 0.5, 1/2.
    // Random curve: the oracle sends row 0 to a, so π = (1, 0): deferred rows cost a's cost. At
    // coverage 0 it is the oracle curve's first point; at 1 the model alone.
    CostMatrix c =
        new CostMatrix(
            AGENTS, 2, new double[] {1, 0.5, 0.5, 0, 1, 1}, new byte[] {0, 1, 0, 1, 0, 0});
    CoverageCurves.Reference r = CoverageCurves.reference(c, null);
    assertThat(r.oracle().size()).isEqualTo(3);
    assertPoint(r.oracle().point(0), 0, 0.5, 0.75);
    assertPoint(r.oracle().point(1), 0.5, 1, 0.25);
    assertPoint(r.oracle().point(2), 1, 0.5, 0.5);
    assertPoint(r.random().point(0), 0, 0.5, 0.75);
    assertPoint(r.random().point(1), 1, 0.5, 0.5);
  }

  @Test
  void anOracleTieBetweenModelAndExpertKeepsTheCaseWithTheModel() {
    //   row  m        a          b
    //   0    0.5 (1)  0.5 (0)    -          tie: the oracle keeps it, no share for a
    //   1    1 (0)    -          0 (1)      -> b
    //   2    0 (1)    1 (0)      0.5 (1)    kept
    // π = (a 0, b 1). Random deferral, per row: row 0 may only go to a, whose π is 0, so it goes
    // there uniformly: cost 0.5, right 0; row 1: b, cost 0, right 1; row 2: b only (π_a = 0), cost
    // 0.5, right 1. Coverage 0: cost 1/3, accuracy 2/3. Coverage 1 (model): cost 1.5/3, accuracy
    // 2/3. (Had the tie counted for a, row 2 would cost 0.5·1 + 0.5·0.5 = 0.75 deferred.)
    CostMatrix c =
        new CostMatrix(
            AGENTS,
            3,
            new double[] {0.5, 0.5, NAN, 1, NAN, 0, 0, 1, 0.5},
            new byte[] {1, 0, -1, 0, -1, 1, 1, 0, 1});
    AccuracyCoverageCurve random = CoverageCurves.reference(c, null).random();
    assertThat(random.size()).isEqualTo(2);
    assertPoint(random.point(0), 0, 2 / 3.0, 1 / 3.0);
    assertPoint(random.point(1), 1, 2 / 3.0, 0.5);
  }

  @Test
  void randomCurveCountsFixedRowsWithTheirWeightsAndRenormalises() {
    //   row  weight  m        a        b        state
    //   0    2       0.5 (1)  -        -        kept (no expert)
    //   1    1       1 (0)    -        -        kept
    //   2    2       -        0.5 (1)  -        deferred (no model)
    //   3    1       -        1 (0)    -        deferred
    //   4    1       1 (0)    0 (1)    0.5 (1)  movable; oracle -> a
    //   5    2       0 (1)    1 (0)    0.25 (1) movable; oracle keeps
    //   6    1       0 (1)    -        1 (0)    movable; oracle keeps
    // Total weight 10. Oracle shares: a gets rows 2, 3, 4 (2 + 1 + 1 = 4), b nothing: π = (1, 0).
    // Deferred expectations: rows 2, 3, 4, 5 go to a; row 6 may only go to b, whose π is 0, so
    // uniformly over its one available expert: b.
    // Fixed rows: kept weight 3; cost 2·0.5 + 1·1 + 2·0.5 + 1·1 = 4; right 2·1 + 0 + 2·1 + 0 = 4.
    // Movable rows (weight 4): deferred cost 1·0 + 2·1 + 1·1 = 3, right 1·1 + 0 + 0 = 1; kept
    // cost 1·1 + 0 + 0 = 1, right 0 + 2·1 + 1·1 = 3.
    // Coverage 3/10: accuracy (4 + 1)/10, cost (4 + 3)/10. Coverage (3 + 4)/10 (rows 2 and 3 are
    // never kept): accuracy (4 + 3)/10, cost (4 + 1)/10.
    CostMatrix c =
        new CostMatrix(
            AGENTS,
            7,
            new double[] {
              0.5, NAN, NAN, 1, NAN, NAN, NAN, 0.5, NAN, NAN, 1, NAN, 1, 0, 0.5, 0, 1, 0.25, 0, NAN,
              1
            },
            new byte[] {1, -1, -1, 0, -1, -1, -1, 1, -1, -1, 0, -1, 0, 1, 1, 1, 0, 1, 1, -1, 0});
    double[] w = {2, 1, 2, 1, 1, 2, 1};
    AccuracyCoverageCurve random = CoverageCurves.reference(c, w).random();
    assertThat(random.size()).isEqualTo(2);
    assertPoint(random.point(0), 0.3, 0.5, 0.7);
    assertPoint(random.point(1), 0.7, 0.7, 0.5);
  }

  @Test
  void unknownCorrectnessMakesTheRandomCurvesAccuracyNaNWhereItCounts() {
    AgentSet agents = AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0)));
    // Row 0 cannot be kept and a's correctness there is unknown: NaN at both ends.
    CostMatrix fixed =
        new CostMatrix(agents, 2, new double[] {NAN, 0, 0, 1}, new byte[] {-1, -1, 1, 0});
    AccuracyCoverageCurve r0 = CoverageCurves.reference(fixed, null).random();
    assertThat(r0.point(0).accuracy()).isNaN();
    assertThat(r0.point(1).accuracy()).isNaN();
    assertThat(r0.point(1).cost()).isCloseTo(0, within(TOL));
    // Row 0 movable, a unknown there: NaN when deferred; kept by the model (right twice) -> 1.
    CostMatrix deferred =
        new CostMatrix(agents, 2, new double[] {0, 1, 0, 0}, new byte[] {1, -1, 1, 1});
    AccuracyCoverageCurve r1 = CoverageCurves.reference(deferred, null).random();
    assertThat(r1.point(0).accuracy()).isNaN();
    assertThat(r1.point(1).accuracy()).isEqualTo(1.0);
    // The model's correctness unknown on a movable row: NaN when kept; deferred to a (right and
    // wrong) -> 1/2.
    CostMatrix kept =
        new CostMatrix(agents, 2, new double[] {0, 0, 0, 1}, new byte[] {-1, 1, 1, 0});
    AccuracyCoverageCurve r2 = CoverageCurves.reference(kept, null).random();
    assertThat(r2.point(0).accuracy()).isEqualTo(0.5);
    assertThat(r2.point(1).accuracy()).isNaN();
  }

  @Test
  void withoutMovableRowsTheRandomCurveIsOnePoint() {
    // Row 0: only the model (0.5, right); row 1: only a (0.25, wrong). Coverage 1/2 at every
    // share: accuracy 1/2, cost 0.75/2.
    AgentSet agents = AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0)));
    CostMatrix c =
        new CostMatrix(agents, 2, new double[] {0.5, NAN, NAN, 0.25}, new byte[] {1, -1, -1, 0});
    CoverageCurves.Reference r = CoverageCurves.reference(c, null);
    assertThat(r.random().points())
        .containsExactly(new AccuracyCoverageCurve.Point(0.5, 0.5, 0.375));
    assertThat(r.oracle().points())
        .containsExactly(new AccuracyCoverageCurve.Point(0.5, 0.5, 0.375));
  }

  @Test
  void zeroTotalWeightGivesOneUndefinedPoint() {
    CostMatrix c =
        new CostMatrix(AGENTS, 2, new double[] {0, 1, 1, 1, 0, 0}, new byte[] {1, 0, 0, 0, 1, 1});
    AccuracyCoverageCurve random = CoverageCurves.reference(c, new double[] {0, 0}).random();
    assertThat(random.size()).isEqualTo(1);
    assertThat(random.point(0).coverage()).isNaN();
    assertThat(random.point(0).accuracy()).isNaN();
    assertThat(random.point(0).cost()).isNaN();
  }

  @Test
  void aRowNoAgentCanTakeIsRefusedWithItsNumber() {
    CostMatrix c =
        new CostMatrix(
            AGENTS, 2, new double[] {0, 1, 1, NAN, NAN, NAN}, new byte[] {1, 0, 0, -1, -1, -1});
    assertThatThrownBy(() -> CoverageCurves.reference(c, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the oracle curve: row 2: neither the model nor an expert is available, so no curve"
                + " can place it");
  }

  @Test
  void aRowWhoseExpertsTheOracleNeverUsedSpreadsUniformlyOverThem() {
    // Agents m, a, b, c. Row 0: m 1 (wrong), c 0 (right), a and b unavailable: the oracle sends it
    // to c, so π = (0, 0, 1). Row 1: m 0 (right), a 1 (wrong), b 0.5 (right), c unavailable: the
    // oracle keeps it, and its available experts a and b both have π = 0, so a random deferral
    // picks each with probability 1/2: cost 0.75, right 1/2.
    // Coverage 0: cost (0 + 0.75)/2 = 0.375, accuracy (1 + 0.5)/2 = 0.75.
    // Coverage 1 (both rows kept by the model): cost (1 + 0)/2 = 0.5, accuracy (0 + 1)/2 = 0.5.
    AgentSet agents =
        AgentSet.of(
            Agent.model("m"),
            List.of(Agent.expert("a", 0), Agent.expert("b", 0), Agent.expert("c", 0)));
    CostMatrix c =
        new CostMatrix(
            agents,
            2,
            new double[] {1, NAN, NAN, 0, 0, 1, 0.5, NAN},
            new byte[] {0, -1, -1, 1, 1, 0, 1, -1});
    AccuracyCoverageCurve random = CoverageCurves.reference(c, null).random();
    assertThat(random.size()).isEqualTo(2);
    assertPoint(random.point(0), 0, 0.75, 0.375);
    assertPoint(random.point(1), 1, 0.5, 0.5);
  }
}
