package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * Accuracy and mean smooth-L1 of the chosen agents (hand-computed below).
 *
 * <p>Equivalent mutants (PIT, docs/quality.md), reviewed and accepted: MultiTaskMetrics:92 ({@code
 * w > 0} → {@code w >= 0}, twice): weights are ≥ 0, so a total weight of 0 makes the right count
 * and the loss sum 0 too, and 0/0 is the same NaN as the guard gives.
 */
class MultiTaskMetricsTest {
  private static final TaskSpec TASK =
      new TaskSpec(
          TaskKind.MULTITASK,
          List.of("a", "b"),
          "net",
          List.of(Agent.expert("e1", 0.2)),
          new CostWeights(1, 1, RegressionLoss.SMOOTH_L1, 1.0),
          null);

  private static DeferralTable table(double[] weights) {
    // Rows: y = 0, 1, 1; t = 0, 0, 0.
    // net predicts classes 0, 0, 1 and values 3, 0.5, 0; e1 predicts 1, 1, 1 and 0, 0, -2.
    DeferralTable.Builder b =
        DeferralTable.builder("mt", 3)
            .labels(new int[] {0, 1, 1})
            .targets(new double[] {0, 0, 0})
            .agent(
                "net",
                new AgentColumns(3, new int[] {0, 0, 1}, new double[] {3, 0.5, 0}, null, 0, null))
            .agent(
                "e1",
                new AgentColumns(3, new int[] {1, 1, 1}, new double[] {0, 0, -2}, null, 0, null));
    return (weights == null ? b : b.weights(weights)).build();
  }

  /**
   * Decisions (net, e1, e1): classes 0 (right), 1 (right), 1 (right) → accuracy 1. Smooth-L1: |3| →
   * 2.5 (unclipped, although the cost clips at 1), |0| → 0, |−2| → 1.5; mean 4/3.
   */
  @Test
  void perTaskMetricsOfTheChosenAgents() {
    MultiTaskMetrics.Result r = MultiTaskMetrics.evaluate(TASK, table(null), new int[] {0, 1, 1});
    assertThat(r.n()).isEqualTo(3);
    assertThat(r.accuracy()).isCloseTo(1.0, within(1e-15));
    assertThat(r.regressionLoss()).isCloseTo(4.0 / 3, within(1e-15));
    // All to net: right, wrong, right → 2/3; losses 2.5, 0.125, 0 → 2.625 / 3.
    MultiTaskMetrics.Result m = MultiTaskMetrics.evaluate(TASK, table(null), new int[] {0, 0, 0});
    assertThat(m.accuracy()).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(m.regressionLoss()).isCloseTo(0.875, within(1e-15));
  }

  /** Weights (2, 1, 1) on the all-net decisions: accuracy (2 + 0 + 1)/4, loss (5 + 0.125)/4. */
  @Test
  void weightedByTheWeightColumn() {
    MultiTaskMetrics.Result m =
        MultiTaskMetrics.evaluate(TASK, table(new double[] {2, 1, 1}), new int[] {0, 0, 0});
    assertThat(m.accuracy()).isCloseTo(0.75, within(1e-15));
    assertThat(m.regressionLoss()).isCloseTo(5.125 / 4, within(1e-15));
  }

  @Test
  void unobservedChosenAgentIsAnError() {
    DeferralTable t =
        table(null)
            .withAgent(
                "e1",
                new AgentColumns(
                    3, new int[] {1, 1, 1}, new double[] {0, Double.NaN, 0}, null, 0, null));
    assertThatThrownBy(() -> MultiTaskMetrics.evaluate(TASK, t, new int[] {1, 1, 1}))
        .hasMessageContaining("row 1")
        .hasMessageContaining("'e1'");
    assertThatThrownBy(() -> MultiTaskMetrics.evaluate(TASK, t, new int[] {0, 0}))
        .hasMessageContaining("length");
  }

  @Test
  void agentsOutsideTheTaskAreRefused() {
    // Two agents (net, e1): indices 2 and −1 are out of range.
    assertThatThrownBy(() -> MultiTaskMetrics.evaluate(TASK, table(null), new int[] {0, 2, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("row 1: agent 2 is out of range");
    assertThatThrownBy(() -> MultiTaskMetrics.evaluate(TASK, table(null), new int[] {-1, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("row 0: agent -1 is out of range");
  }
}
