package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * The oracle, an evaluation reference (it reads the costs): each case to its cheapest available
 * agent, lowest index on ties. Expected decisions are read off the hand-made matrices below (the
 * 4-row matrix was PoliciesTest's when the oracle was a policy).
 */
class OracleTest {
  private static final AgentSet AGENTS =
      AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0), Agent.expert("b", 0)));
  private static final double NAN = Double.NaN;

  //           m    a    b
  // row 0:    0    1    NaN
  // row 1:    1    0    0.5
  // row 2:    NaN  0    1
  // row 3:    1    NaN  0
  private static final CostMatrix COSTS =
      new CostMatrix(
          AGENTS,
          4,
          new double[] {0, 1, NAN, 1, 0, 0.5, NAN, 0, 1, 1, NAN, 0},
          new byte[] {1, 0, -1, 0, 1, 0, -1, 1, 0, 0, -1, 1});

  @Test
  void oracleTakesTheCheapestAvailableAgent() {
    // Row minima: row 0 m (0), row 1 a (0), row 2 a (0), row 3 b (0).
    Decisions d = Oracle.decisions(COSTS);
    assertThat(d.agents()).containsExactly(0, 1, 1, 2);
    assertThat(d.fallbackCount()).isZero();
    assertThat(d.agentSet()).isSameAs(AGENTS);
    for (int i = 0; i < 4; i++) {
      assertThat(COSTS.available(i, d.agent(i))).isTrue();
    }
    assertThat(Oracle.NAME).isEqualTo("oracle");
  }

  @Test
  void tiesGoToTheLowestIndexAndUnknownCostsAreSkipped() {
    //           m    a    b
    // row 0:    0.3  0.3  0.3    tie -> m
    // row 1:    NaN  0.2  0.2    tie among the known -> a
    // row 2:    0.9  NaN  0.1    b
    CostMatrix c =
        new CostMatrix(
            AGENTS,
            3,
            new double[] {0.3, 0.3, 0.3, NAN, 0.2, 0.2, 0.9, NAN, 0.1},
            new byte[] {1, 1, 1, -1, 1, 1, 0, -1, 1});
    assertThat(Oracle.decisions(c).agents()).containsExactly(0, 1, 2);
    // Its mean cost is the mean of the row minima: (0.3 + 0.2 + 0.1) / 3 = 0.2, a lower bound.
    assertThat(DeferralMetrics.meanCost(c, Oracle.decisions(c).agents(), null))
        .isCloseTo(0.2, within(1e-12));
  }

  @Test
  void rowWithNoKnownCostIsAnError() {
    CostMatrix empty =
        new CostMatrix(
            AGENTS, 2, new double[] {0, 1, 1, NAN, NAN, NAN}, new byte[] {1, 0, 0, -1, -1, -1});
    assertThatThrownBy(() -> Oracle.decisions(empty))
        .hasMessageContaining("row 2: no agent's cost is known");
  }

  /** Evaluation.oracle scores the oracle on a labelled table under the task's cost model. */
  @Test
  void evaluationOfTheOracle() {
    TaskSpec task =
        TaskSpec.classification(
            List.of("0", "1"), "m", List.of(Agent.expert("a", 0.1), Agent.expert("b", 0.2)));
    // Labels 0, 1, 1; m says 0, 0, 1; a says 1, 1, 1; b says 0, 1, unobserved.
    // Costs (α = 1, fees 0, 0.1, 0.2): row 0 (0, 1.1, 0.2) -> m; row 1 (1, 0.1, 0.2) -> a;
    // row 2 (0, 0.1, NaN) -> m. Mean cost 0.1 / 3, every decision right.
    DeferralTable t =
        DeferralTable.builder("oracle.csv", 3)
            .labels(new int[] {0, 1, 1})
            .agent("m", new AgentColumns(3, new int[] {0, 0, 1}, null, null, 0, null))
            .agent("a", new AgentColumns(3, new int[] {1, 1, 1}, null, null, 0, null))
            .agent("b", new AgentColumns(3, new int[] {0, 1, -1}, null, null, 0, null))
            .build();
    Evaluation e = Evaluation.oracle(task, t);
    assertThat(e.decisions().agents()).containsExactly(0, 1, 0);
    assertThat(e.report().meanCost()).isCloseTo(0.1 / 3, within(1e-12));
    assertThat(e.report().systemAccuracy()).isCloseTo(1.0, within(1e-12));
    assertThat(e.costs().cost(1, 2)).isCloseTo(0.2, within(1e-12));
  }
}
