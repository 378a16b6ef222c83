package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void classificationTargetsAreIndexedByAgent() {
    Target t = Target.fromExpertPredictions(2, 2, 0, -1);
    assertThat(t.agents()).isEqualTo(4);
    assertThat(t.experts()).isEqualTo(3);
    assertThat(t.correct(0)).isNaN();
    assertThat(t.correct(1)).isEqualTo(1.0);
    assertThat(t.correct(2)).isEqualTo(0.0);
    assertThat(t.correct(3)).isNaN();
    // Without explicit costs the cost is the 0-1 error.
    assertThat(t.cost(1)).isEqualTo(0.0);
    assertThat(t.cost(2)).isEqualTo(1.0);
    assertThat(t.cost(3)).isNaN();
    assertThat(t.hasCosts()).isFalse();
  }

  @Test
  void costTargetsDeriveCorrectnessOnlyInsideTheUnitInterval() {
    Target t = Target.ofCosts(0.0, 0.3, 1.4, Double.NaN);
    assertThat(t.hasLabel()).isFalse();
    assertThat(t.correct(1)).isEqualTo(0.7);
    assertThat(t.correct(3)).isNaN();
    assertThatThrownBy(() -> t.correct(2)).hasMessageContaining("1.4");
  }

  @Test
  void copiesArraysInAndOut() {
    double[] costs = {0.1, 0.2};
    Target t = Target.ofCosts(costs);
    costs[0] = 9;
    assertThat(t.cost(0)).isEqualTo(0.1);
    t.costs()[1] = 9;
    assertThat(t.cost(1)).isEqualTo(0.2);
    assertThat(t).isEqualTo(Target.ofCosts(0.1, 0.2));
    assertThat(t.hashCode()).isEqualTo(Target.ofCosts(0.1, 0.2).hashCode());
  }

  @Test
  void rejectsBadValuesWithTheirName() {
    assertThatThrownBy(() -> new Target(0, null, null, Double.NaN))
        .hasMessageContaining("correctness or costs");
    assertThatThrownBy(() -> new Target(0, new double[] {1, 2}, null, Double.NaN))
        .hasMessageContaining("agent 1");
    assertThatThrownBy(() -> Target.ofCosts(0.1, -1))
        .hasMessageContaining("agent 1")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new Target(0, new double[] {1}, new double[] {1, 1}, Double.NaN))
        .hasMessageContaining("indexed by agent");
    assertThatThrownBy(() -> Target.regression(Double.NaN, 1.0)).hasMessageContaining("finite");
    assertThatThrownBy(() -> Target.classification(-1, 1.0)).hasMessageContaining(">= 0");
  }

  @Test
  void fromCostMatrixRowKeepsCostsAndCorrectness() {
    AgentSet agents =
        AgentSet.of(
            new Agent("model", Agent.Role.MODEL, 0.0, 1.0),
            List.of(new Agent("alice", Agent.Role.EXPERT, 0.1, 1.0)));
    CostMatrix m =
        new CostMatrix(
            agents, 2, new double[] {1.0, 0.1, 0.0, Double.NaN}, new byte[] {0, 1, 1, -1});
    Target t = Target.fromCostMatrix(m, 1, 2, Double.NaN);
    assertThat(t.label()).isEqualTo(2);
    assertThat(t.cost(0)).isEqualTo(0.0);
    assertThat(t.correct(0)).isEqualTo(1.0);
    assertThat(t.cost(1)).isNaN();
    assertThat(t.correct(1)).isNaN();
  }
}
