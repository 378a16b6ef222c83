package org.defer4j.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.junit.jupiter.api.Test;

/** The cost matrix's contract: copies in and out, NaN = unavailable, invalid costs rejected. */
class CostMatrixTest {
  private static final AgentSet AGENTS =
      AgentSet.of(Agent.model("m"), List.of(Agent.expert("a", 0), Agent.expert("b", 0)));

  @Test
  void copiesInAndOutAndSelectsRows() {
    double[] cost = {0, 1, Double.NaN, 1, 0.5, 0.2};
    byte[] ok = {1, 0, -1, 0, 0, 0};
    CostMatrix c = new CostMatrix(AGENTS, 2, cost, ok);
    cost[0] = 9;
    assertThat(c.cost(0, 0)).isEqualTo(0.0);
    double[] row = c.row(1);
    row[0] = 9;
    assertThat(c.cost(1, 0)).isEqualTo(1.0);
    assertThat(c.cheapest(0)).isEqualTo(0);
    assertThat(c.cheapest(1)).isEqualTo(2);
    CostMatrix s = c.select(new int[] {1, 1, 0});
    assertThat(s.rows()).isEqualTo(3);
    assertThat(s.cost(2, 2)).isNaN();
    assertThat(s.cost(0, 2)).isEqualTo(0.2);
  }

  @Test
  void rejectsNegativeOrInfiniteCostsAndBadShapes() {
    assertThatThrownBy(() -> new CostMatrix(AGENTS, 1, new double[] {0, -1, 0}, new byte[3]))
        .hasMessageContaining("row 0, agent 'a'");
    assertThatThrownBy(
            () ->
                new CostMatrix(
                    AGENTS, 1, new double[] {0, Double.POSITIVE_INFINITY, 0}, new byte[3]))
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> new CostMatrix(AGENTS, 2, new double[3], new byte[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rowWithNothingAvailableHasNoCheapest() {
    CostMatrix c =
        new CostMatrix(
            AGENTS, 1, new double[] {Double.NaN, Double.NaN, Double.NaN}, new byte[] {-1, -1, -1});
    assertThat(c.cheapest(0)).isEqualTo(-1);
  }
}
