package org.defer4j.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
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
 * The multi-task agent cost of the seed paper (Definition 4.1): c_0 = λ_cls·1[class wrong] +
 * λ_reg·min(smooth-L1, clip), experts add their fee β_j; and the task-specific costs that the
 * classification-only (λ_reg = 0) and regression-only (λ_cls = 0, survey eq. 13) baselines train
 * on. Expected values are derived by hand in the comments.
 */
class MultiTaskCostTest {
  // Row 0: y = 1, t = 2. Row 1: y = 0, t = 0.
  // net: classes (1, 1), probabilities only for the class part, values (2.5, 4).
  // e1 (β 0.1): classes (0, 0), values (2, 0). e2 (β 0.3): classes (1, 0), values (0, 0.5).
  private static DeferralTable table() {
    return DeferralTable.builder("mt", 2)
        .labels(new int[] {1, 0})
        .targets(new double[] {2, 0})
        .agent(
            "net",
            new AgentColumns(
                2, null, new double[] {2.5, 4}, new double[] {0.2, 0.8, 0.4, 0.6}, 2, null))
        .agent("e1", new AgentColumns(2, new int[] {0, 0}, new double[] {2, 0}, null, 0, null))
        .agent("e2", new AgentColumns(2, new int[] {1, 0}, new double[] {0, 0.5}, null, 0, null))
        .build();
  }

  private static CostMatrix costs(double lambdaCls, double lambdaReg) {
    TaskSpec task =
        new TaskSpec(
            TaskKind.MULTITASK,
            List.of("a", "b"),
            "net",
            List.of(Agent.expert("e1", 0.1), Agent.expert("e2", 0.3)),
            new CostWeights(lambdaCls, lambdaReg, RegressionLoss.SMOOTH_L1, 1.5),
            null);
    return new CostModel(task).costs(table());
  }

  /**
   * λ = (1, 1). net (class from the probability argmax: 1, 1): row 0 right, |0.5| → 0.125 → 0.125;
   * row 1 wrong, |4| → 3.5 clipped 1.5 → 2.5. e1: row 0 wrong + 0 + 0.1 = 1.1; row 1 right + 0 +
   * 0.1 = 0.1. e2: row 0 right, |2| → 1.5 → 1.8; row 1 right, |0.5| → 0.125 → 0.425.
   */
  @Test
  void multiTaskCostSumsWeightedPartsAndAddsFees() {
    CostMatrix c = costs(1, 1);
    assertThat(c.row(0)).containsExactly(new double[] {0.125, 1.1, 1.8}, within(1e-12));
    assertThat(c.row(1)).containsExactly(new double[] {2.5, 0.1, 0.425}, within(1e-12));
  }

  /** λ = (1, 0): the classification-only cost; rows (0, 1.1, 0.3) and (1, 0.1, 0.3). */
  @Test
  void classificationOnlyCost() {
    CostMatrix c = costs(1, 0);
    assertThat(c.row(0)).containsExactly(new double[] {0, 1.1, 0.3}, within(1e-12));
    assertThat(c.row(1)).containsExactly(new double[] {1, 0.1, 0.3}, within(1e-12));
  }

  /** λ = (0, 2): twice the clipped regression loss plus fees (eq. 13). */
  @Test
  void regressionOnlyCost() {
    CostMatrix c = costs(0, 2);
    assertThat(c.row(0)).containsExactly(new double[] {0.25, 0.1, 3.3}, within(1e-12));
    assertThat(c.row(1)).containsExactly(new double[] {3.0, 0.1, 0.55}, within(1e-12));
  }
}
