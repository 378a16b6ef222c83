package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * The coverage curves of the evaluator on the hand-made table of {@link SixCases}: the learned
 * policy's margin curve, the oracle curve over all three experts and the expected random curve.
 * Every expected number is derived in the comments from the table in {@link SixCases}.
 */
class EvaluatorCurvesTest {
  private static final double TOL = 1e-12;

  private static EvaluationResult evaluate() {
    TaskSpec task = SixCases.task();
    CostMatrix c = SixCases.costs(task);
    Decisions d = SixCases.learnedDecisions(task);
    return new Evaluator(Evaluator.Options.defaults().withResamples(50).withThreads(1))
        .evaluate(
            task,
            SixCases.table(),
            List.of(
                Evaluator.Entry.learned("learned", d, LearnedPolicy.margins(d), c, task),
                Evaluator.Entry.oracle(c)));
  }

  private static void assertPoint(
      AccuracyCoverageCurve.Point p, double coverage, double accuracy, double cost) {
    assertThat(p.coverage()).isCloseTo(coverage, within(TOL));
    assertThat(p.accuracy()).isCloseTo(accuracy, within(TOL));
    assertThat(p.cost()).isCloseTo(cost, within(TOL));
  }

  @Test
  void marginCurveRunsFromAllDeferredToAllKept() {
    // Keep order by ascending margin: row 4 (−0.4), 3 (0.2), 1 (0.3), 0 (0.5), 5 (0.6), 2 (0.9).
    // Coverage 0: every row to its best-scored expert: a .1, b .2, a .1, b .2, b .2, c .3 = 1.1,
    //   all right -> cost 1.1/6, accuracy 1.
    // Each kept row adds (model cost − best expert's cost):
    //   row 4: 0 − .2 -> 0.9; row 3: 1 − .2 -> 1.7; row 1: 0 − .2 -> 1.5; row 0: 0 − .1 -> 1.4;
    //   row 5: 1 − .3 -> 2.1; row 2: 1 − .1 -> 3.0 (the model alone: 3 wrong, cost 3/6).
    // Accuracy: the model is wrong on rows 3, 5, 2, so 6, 6, 5, 5, 5, 4, 3 right out of 6.
    AccuracyCoverageCurve curve = evaluate().policy("learned").marginCurve();
    assertThat(curve.size()).isEqualTo(7);
    double[] cost = {1.1, 0.9, 1.7, 1.5, 1.4, 2.1, 3.0};
    int[] right = {6, 6, 5, 5, 5, 4, 3};
    for (int k = 0; k < 7; k++) {
      assertPoint(curve.point(k), k / 6.0, right[k] / 6.0, cost[k] / 6);
    }
  }

  @Test
  void handComputedMiddlePoint() {
    // At coverage 1/2 rows 4, 3, 1 are kept (model costs 0, 1, 0) and rows 0 → a (0.1), 5 → c
    // (0.3), 2 → a (0.1) deferred: cost 1.5/6 = 0.25, row 3 wrong -> accuracy 5/6.
    AccuracyCoverageCurve curve = evaluate().policy("learned").marginCurve();
    assertPoint(curve.at(0.5), 0.5, 5 / 6.0, 0.25);
    // Halfway between the vertices 1/2 and 2/3 (0.25 and 1.4/6): the linear interpolation.
    assertThat(curve.at(7 / 12.0).cost()).isCloseTo((0.25 + 1.4 / 6) / 2, within(TOL));
  }

  @Test
  void thresholdDecisionsAreAVertexOfTheMarginCurve() {
    // The argmax rule defers iff margin > 0, so it keeps row 4 only: coverage 1/6, cost 0.9/6.
    EvaluationResult r = evaluate();
    PolicyResult p = r.policy("learned");
    assertThat(p.coverage()).isCloseTo(1 / 6.0, within(TOL));
    assertThat(p.meanCost()).isCloseTo(0.15, within(TOL));
    AccuracyCoverageCurve.Point v = p.marginCurve().point(1);
    assertThat(v.coverage()).isCloseTo(p.coverage(), within(TOL));
    assertThat(v.cost()).isCloseTo(p.meanCost(), within(TOL));
    assertThat(v.accuracy()).isCloseTo(p.systemAccuracy(), within(TOL));
    // And a threshold θ = 0.4 keeps rows 4, 3, 1 — the coverage-1/2 vertex.
    int[] chosen = new int[6];
    for (int i = 0; i < 6; i++) {
      chosen[i] =
          DecisionRules.threshold(0.4)
              .choose(SixCases.SCORES, 4 * i, new boolean[] {true, true, true, true}, 0, 4);
    }
    assertThat(chosen).containsExactly(1, 0, 1, 0, 0, 3);
    // Costs a .1, m 0, a .1, m 1, m 0, c .3 = 1.5/6: the curve's point at coverage 1/2.
    DeferralReport t = DeferralMetrics.evaluate(SixCases.costs(SixCases.task()), chosen, null);
    assertPoint(p.marginCurve().point(3), t.coverage(), t.systemAccuracy(), t.meanCost());
  }

  @Test
  void oracleCurvePassesThroughTheOraclePointWithThreeExperts() {
    // Keep order by ascending m − cheapest expert: rows 1, 4 (−0.2, tied: one step), 0 (−0.1),
    // 5 (0.7), 3 (0.8), 2 (0.9). Coverage 0: every row to its cheapest expert, 1.1/6, all right.
    // Then 1.1 − 0.2 − 0.2 = 0.7 (coverage 2/6), 0.6 (3/6: the oracle), 1.3, 2.1, 3.0.
    EvaluationResult r = evaluate();
    PolicyResult oracle = r.policy(Oracle.NAME);
    AccuracyCoverageCurve curve = oracle.oracleCurve();
    double[] cov = {0, 2 / 6.0, 3 / 6.0, 4 / 6.0, 5 / 6.0, 1};
    double[] cost = {1.1, 0.7, 0.6, 1.3, 2.1, 3.0};
    int[] right = {6, 6, 6, 5, 4, 3};
    assertThat(curve.size()).isEqualTo(6);
    for (int k = 0; k < 6; k++) {
      assertPoint(curve.point(k), cov[k], right[k] / 6.0, cost[k] / 6);
    }
    // The oracle's own point (coverage 1/2, cost 0.1, accuracy 1) is the third vertex.
    assertPoint(curve.point(2), oracle.coverage(), oracle.systemAccuracy(), oracle.meanCost());
    assertThat(oracle.meanCost()).isCloseTo(0.1, within(TOL));
    // The oracle uses every expert: one case each.
    assertThat(oracle.workload())
        .extracting(PolicyResult.Workload::cases)
        .containsExactly(3, 1, 1, 1);
    // Trapezoids: (1/6)·[(1.1 + 0.7)/2·(2/6) + ((0.7 + 0.6) + (0.6 + 1.3) + (1.3 + 2.1)
    //   + (2.1 + 3.0))/2·(1/6)] = (1/6)·(0.3 + 0.975) = 0.2125.
    assertThat(curve.areaUnderCost()).isCloseTo(0.2125, within(TOL));
    // Every entry on the same cost matrix shares the curve.
    assertThat(r.policy("learned").oracleCurve()).isSameAs(curve);
  }

  @Test
  void randomCurveIsTheSegmentBetweenItsExpectedEndpoints() {
    // The oracle gives one case to each expert, so π = (1/3, 1/3, 1/3) and a deferred case costs
    // the mean of its three expert costs: rows 0, 1, 2, 4: 1.6/3; rows 3, 5: 2.6/3.
    // Coverage 0: (4·1.6 + 2·2.6)/3/6 = 11.6/18; accuracy: expected share of right experts,
    //   rows 0, 1, 2, 4: 2/3, rows 3, 5: 1/3 -> 10/3/6 = 10/18.
    // Coverage 1: the model alone, cost 3/6 and accuracy 3/6.
    AccuracyCoverageCurve random = evaluate().policy("learned").randomCurve();
    assertThat(random.size()).isEqualTo(2);
    assertPoint(random.point(0), 0, 10 / 18.0, 11.6 / 18);
    assertPoint(random.point(1), 1, 0.5, 0.5);
    // Linear in the deferral share s = 1 − coverage.
    for (double c : new double[] {0.1, 0.25, 0.5, 0.9}) {
      assertThat(random.at(c).cost()).isCloseTo((1 - c) * 11.6 / 18 + c * 0.5, within(TOL));
      assertThat(random.at(c).accuracy()).isCloseTo((1 - c) * 10 / 18.0 + c * 0.5, within(TOL));
    }
    assertThat(random.areaUnderCost()).isCloseTo((11.6 / 18 + 0.5) / 2, within(TOL));
  }

  @Test
  void randomCurveSpreadsDeferralsInProportionToTheOracleAndRenormalisesOverAvailableExperts() {
    // Model m, experts a, b with fee 0. Costs (NaN = unavailable):
    //   row  m  a    b
    //   0    1  0    1     oracle -> a
    //   1    1  0    1     oracle -> a
    //   2    1  1    0     oracle -> b
    //   3    0  1    NaN   oracle -> m; only a may take it
    // π = (a 2/3, b 1/3). Deferred expected costs: rows 0, 1: 2/3·0 + 1/3·1 = 1/3; row 2:
    // 2/3·1 + 1/3·0 = 2/3; row 3: only a -> 1. Coverage 0 cost: (1/3 + 1/3 + 2/3 + 1)/4 = 7/12.
    // Coverage 1 (model everywhere): (1 + 1 + 1 + 0)/4 = 3/4.
    AgentSet agents =
        AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0), Agent.expert("b", 0)));
    double nan = Double.NaN;
    CostMatrix c =
        new CostMatrix(
            agents,
            4,
            new double[] {1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, nan},
            new byte[] {0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, -1});
    TaskSpec task =
        TaskSpec.classification(
            List.of("0", "1"), "m", List.of(Agent.expert("a", 0), Agent.expert("b", 0)));
    EvaluationResult r =
        new Evaluator(Evaluator.Options.defaults().withResamples(0))
            .evaluate(
                task,
                org.defer4j.core.data.DeferralTable.builder("t", 4).build(),
                List.of(Evaluator.Entry.oracle(c)));
    AccuracyCoverageCurve random = r.policy(Oracle.NAME).randomCurve();
    assertPoint(random.point(0), 0, 5 / 12.0, 7 / 12.0);
    assertPoint(random.point(1), 1, 0.25, 0.75);
  }

  @Test
  void casesTheModelCannotTakeStayDeferredAtEveryPoint() {
    // Model m, expert a (fee 0). Row 0: model unavailable (a costs 0); rows 1, 2 movable; row 3:
    // a unavailable (model costs 1).
    //   row  m    a      m − a
    //   0    NaN  0      -
    //   1    0    1      −1
    //   2    1    0       1
    //   3    1    NaN    -
    // Oracle curve: coverage from 1/4 (row 3) to 3/4 (rows 1, 2, 3); costs: start (0 + 1 + 0 + 1)/4
    // = 1/2, keep row 1 -> 1/4 (coverage 2/4), keep row 2 -> 2/4 (coverage 3/4).
    AgentSet agents = AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0)));
    double nan = Double.NaN;
    CostMatrix c =
        new CostMatrix(
            agents,
            4,
            new double[] {nan, 0, 0, 1, 1, 0, 1, nan},
            new byte[] {-1, 1, 1, 0, 0, 1, 0, -1});
    TaskSpec task = TaskSpec.classification(List.of("0", "1"), "m", List.of(Agent.expert("a", 0)));
    EvaluationResult r =
        new Evaluator(Evaluator.Options.defaults().withResamples(0))
            .evaluate(
                task,
                org.defer4j.core.data.DeferralTable.builder("t", 4).build(),
                List.of(Evaluator.Entry.oracle(c)));
    AccuracyCoverageCurve o = r.policy(Oracle.NAME).oracleCurve();
    assertThat(o.size()).isEqualTo(3);
    assertPoint(o.point(0), 0.25, 0.5, 0.5);
    assertPoint(o.point(1), 0.5, 0.75, 0.25);
    assertPoint(o.point(2), 0.75, 0.5, 0.5);
    assertThat(o.at(0.1).cost()).isNaN();
    // The oracle keeps rows 1 and 3: coverage 1/2, the second vertex.
    assertThat(r.policy(Oracle.NAME).coverage()).isEqualTo(0.5);
  }
}
