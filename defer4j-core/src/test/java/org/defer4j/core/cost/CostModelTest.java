package org.defer4j.core.cost;

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
 * Hand-computed costs c_j = α_j · ρ + β_j (DESIGN.md §2). Every expected number below is derived in
 * the comment next to it from the table's cells, the agent's α and fee β and the task's cost
 * weights.
 */
class CostModelTest {
  private static final double TOL = 1e-12;
  private static final List<String> CLASSES = List.of("a", "b", "c");

  private static AgentColumns classes(int... predicted) {
    return new AgentColumns(predicted.length, predicted, null, null, 0, null);
  }

  private static AgentColumns values(double... predicted) {
    return new AgentColumns(predicted.length, null, predicted, null, 0, null);
  }

  @Test
  void zeroOneCostWithAlphaAndFee() {
    // alice: α = 2, β = 0.1; bob: α = 1, β = 0. Labels 0, 1, 2.
    TaskSpec spec =
        new TaskSpec(
            TaskKind.CLASSIFICATION,
            CLASSES,
            "net",
            List.of(new Agent("alice", Agent.Role.EXPERT, 0.1, 2.0), Agent.expert("bob", 0.0)),
            null,
            null);
    DeferralTable t =
        DeferralTable.builder("t.csv", 3)
            .labels(new int[] {0, 1, 2})
            .agent("net", classes(0, 2, 2))
            .agent("alice", classes(1, 1, AgentColumns.UNOBSERVED))
            .agent("bob", classes(0, 0, 2))
            .build();
    CostMatrix c = new CostModel(spec).costs(t);
    assertThat(c.rows()).isEqualTo(3);
    assertThat(c.agentCount()).isEqualTo(3);
    // net: right, wrong, right -> 0, 1, 0 (model: α = 1, no fee).
    assertThat(c.row(0)[0]).isEqualTo(0.0);
    assertThat(c.cost(1, 0)).isEqualTo(1.0);
    assertThat(c.cost(2, 0)).isEqualTo(0.0);
    // alice: wrong -> 2·1 + 0.1 = 2.1; right -> 2·0 + 0.1 = 0.1; unobserved -> NaN.
    assertThat(c.cost(0, 1)).isCloseTo(2.1, within(TOL));
    assertThat(c.cost(1, 1)).isCloseTo(0.1, within(TOL));
    assertThat(c.cost(2, 1)).isNaN();
    assertThat(c.available(2, 1)).isFalse();
    assertThat(c.correct(2, 1)).isEqualTo(CostMatrix.UNKNOWN);
    // bob: right, wrong, right.
    assertThat(new double[] {c.cost(0, 2), c.cost(1, 2), c.cost(2, 2)})
        .containsExactly(0.0, 1.0, 0.0);
    assertThat(new byte[] {c.correct(0, 1), c.correct(1, 1), c.correct(1, 2)})
        .containsExactly(0, 1, 0);
    // Cheapest available agent, lowest index on ties: row 0 -> net (0 = bob), row 1 -> alice
    // (0.1 < 1), row 2 -> net (0 = bob; alice unavailable).
    assertThat(new int[] {c.cheapest(0), c.cheapest(1), c.cheapest(2)}).containsExactly(0, 1, 0);
  }

  @Test
  void classificationWeightScalesTheErrorNotTheFee() {
    // λ_cls = 0.5: net wrong -> 0.5; alice (α 2, β 0.1) wrong -> 2·0.5 + 0.1 = 1.1.
    TaskSpec spec =
        new TaskSpec(
            TaskKind.CLASSIFICATION,
            CLASSES,
            "net",
            List.of(new Agent("alice", Agent.Role.EXPERT, 0.1, 2.0)),
            new CostWeights(0.5, 0.0, RegressionLoss.SMOOTH_L1, Double.POSITIVE_INFINITY),
            null);
    DeferralTable t =
        DeferralTable.builder("t.csv", 1)
            .labels(new int[] {0})
            .agent("net", classes(1))
            .agent("alice", classes(2))
            .build();
    CostMatrix c = new CostModel(spec).costs(t);
    assertThat(c.cost(0, 0)).isCloseTo(0.5, within(TOL));
    assertThat(c.cost(0, 1)).isCloseTo(1.1, within(TOL));
  }

  @Test
  void predictedClassFromProbabilitiesWhenNoClassColumn() {
    // net gives p = (0.2, 0.7, 0.1) on a row labelled 1 -> argmax 1, right, cost 0; on a row
    // labelled 0 the same p is wrong, cost 1. A NaN probability row is unobserved.
    TaskSpec spec = TaskSpec.classification(CLASSES, "net", List.of(Agent.expert("alice", 0)));
    double[] p = {0.2, 0.7, 0.1, 0.2, 0.7, 0.1, Double.NaN, Double.NaN, Double.NaN};
    DeferralTable t =
        DeferralTable.builder("t.csv", 3)
            .labels(new int[] {1, 0, 0})
            .agent("net", new AgentColumns(3, null, null, p, 3, null))
            .agent("alice", classes(1, 0, 0))
            .build();
    CostMatrix c = new CostModel(spec).costs(t);
    assertThat(c.cost(0, 0)).isEqualTo(0.0);
    assertThat(c.cost(1, 0)).isEqualTo(1.0);
    assertThat(c.cost(2, 0)).isNaN();
  }

  private static CostMatrix regression(RegressionLoss loss, double clip) {
    // Targets 1, 1; net predicts 3 (|d| = 2) and 1.5 (|d| = 0.5); alice (α 1, β 0.2) predicts
    // 0.5 (|d| = 0.5) and nothing.
    TaskSpec spec =
        new TaskSpec(
            TaskKind.REGRESSION,
            List.of(),
            "net",
            List.of(Agent.expert("alice", 0.2)),
            new CostWeights(0.0, 1.0, loss, clip),
            null);
    DeferralTable t =
        DeferralTable.builder("r.csv", 2)
            .targets(new double[] {1.0, 1.0})
            .agent("net", values(3.0, 1.5))
            .agent("alice", values(0.5, Double.NaN))
            .build();
    return new CostModel(spec).costs(t);
  }

  @Test
  void squaredLossWithClip() {
    // squared: 2² = 4 clipped at 3 -> 3; 0.5² = 0.25; alice 0.25 + 0.2 = 0.45.
    CostMatrix c = regression(RegressionLoss.SQUARED, 3.0);
    assertThat(c.cost(0, 0)).isCloseTo(3.0, within(TOL));
    assertThat(c.cost(1, 0)).isCloseTo(0.25, within(TOL));
    assertThat(c.cost(0, 1)).isCloseTo(0.45, within(TOL));
    assertThat(c.cost(1, 1)).isNaN();
    // Regression has no notion of correct.
    assertThat(c.correct(0, 0)).isEqualTo(CostMatrix.UNKNOWN);
    assertThat(c.correct(0, 1)).isEqualTo(CostMatrix.UNKNOWN);
  }

  @Test
  void absoluteLoss() {
    // absolute: 2, 0.5; alice 0.5 + 0.2 = 0.7. The clip 5 does not bind.
    CostMatrix c = regression(RegressionLoss.ABSOLUTE, 5.0);
    assertThat(c.cost(0, 0)).isCloseTo(2.0, within(TOL));
    assertThat(c.cost(1, 0)).isCloseTo(0.5, within(TOL));
    assertThat(c.cost(0, 1)).isCloseTo(0.7, within(TOL));
  }

  @Test
  void smoothL1LossWithAndWithoutClip() {
    // smooth_l1 (Huber, δ = 1): |d| = 2 -> 2 − 0.5 = 1.5; |d| = 0.5 -> 0.5·0.25 = 0.125;
    // alice 0.125 + 0.2 = 0.325. With clip 1, 1.5 -> 1 and 0.125 stays.
    CostMatrix c = regression(RegressionLoss.SMOOTH_L1, Double.POSITIVE_INFINITY);
    assertThat(c.cost(0, 0)).isCloseTo(1.5, within(TOL));
    assertThat(c.cost(1, 0)).isCloseTo(0.125, within(TOL));
    assertThat(c.cost(0, 1)).isCloseTo(0.325, within(TOL));
    CostMatrix clipped = regression(RegressionLoss.SMOOTH_L1, 1.0);
    assertThat(clipped.cost(0, 0)).isCloseTo(1.0, within(TOL));
    assertThat(clipped.cost(1, 0)).isCloseTo(0.125, within(TOL));
  }

  @Test
  void multitaskSumsClassAndRegressionParts() {
    // λ_cls = 1, λ_reg = 0.5, absolute loss. Row 0: y = 0, t = 1.
    // net: class 1 (wrong), value 3 -> 1 + 0.5·2 = 2.
    // alice (α 2, β 0.1): class 0 (right), value 1.5 -> 2·(0 + 0.5·0.5) + 0.1 = 0.6.
    // Row 1: y = 2, t = 0; alice gives a class but no value -> unavailable (NaN).
    TaskSpec spec =
        new TaskSpec(
            TaskKind.MULTITASK,
            CLASSES,
            "net",
            List.of(new Agent("alice", Agent.Role.EXPERT, 0.1, 2.0)),
            new CostWeights(1.0, 0.5, RegressionLoss.ABSOLUTE, Double.POSITIVE_INFINITY),
            null);
    DeferralTable t =
        DeferralTable.builder("mt.csv", 2)
            .labels(new int[] {0, 2})
            .targets(new double[] {1.0, 0.0})
            .agent(
                "net",
                new AgentColumns(2, new int[] {1, 2}, new double[] {3.0, 0.0}, null, 0, null))
            .agent(
                "alice",
                new AgentColumns(
                    2, new int[] {0, 2}, new double[] {1.5, Double.NaN}, null, 0, null))
            .build();
    CostMatrix c = new CostModel(spec).costs(t);
    assertThat(c.cost(0, 0)).isCloseTo(2.0, within(TOL));
    assertThat(c.cost(0, 1)).isCloseTo(0.6, within(TOL));
    assertThat(c.cost(1, 0)).isCloseTo(0.0, within(TOL));
    assertThat(c.cost(1, 1)).isNaN();
    // Correctness follows the class part.
    assertThat(c.correct(0, 0)).isEqualTo((byte) 0);
    assertThat(c.correct(0, 1)).isEqualTo((byte) 1);
    assertThat(c.correct(1, 0)).isEqualTo((byte) 1);
  }

  @Test
  void precomputedCostColumnsOverrideTheErrorAndFeesAddOnTop() {
    // Classification, labels 0, 0. alice (α 2, β 0.1) predicts 1, 0 and has cost.alice = 0.3, NaN.
    // Row 0: the cost cell wins: 2·0.3 + 0.1 = 0.7; correctness still from the class (wrong).
    // Row 1: empty cost cell -> the 0-1 error (right): 2·0 + 0.1 = 0.1.
    TaskSpec spec =
        new TaskSpec(
            TaskKind.CLASSIFICATION,
            CLASSES,
            "net",
            List.of(new Agent("alice", Agent.Role.EXPERT, 0.1, 2.0)),
            null,
            null);
    DeferralTable t =
        DeferralTable.builder("t.csv", 2)
            .labels(new int[] {0, 0})
            .agent("net", classes(0, 0))
            .agent(
                "alice",
                new AgentColumns(
                    2, new int[] {1, 0}, null, null, 0, new double[] {0.3, Double.NaN}))
            .build();
    CostMatrix c = new CostModel(spec).costs(t);
    assertThat(c.cost(0, 1)).isCloseTo(0.7, within(TOL));
    assertThat(c.correct(0, 1)).isEqualTo((byte) 0);
    assertThat(c.cost(1, 1)).isCloseTo(0.1, within(TOL));
    assertThat(c.correct(1, 1)).isEqualTo((byte) 1);
  }

  @Test
  void customCostTaskReadsCostColumnsOnly() {
    // task: costs. cost.net = 0, 0.4; cost.gpt (β 0.05) = NaN, 0.2.
    // net: 0 (correct: zero cost), 0.4 (not correct). gpt: unavailable, 0.2 + 0.05 = 0.25.
    TaskSpec spec =
        new TaskSpec(
            TaskKind.COSTS, List.of(), "net", List.of(Agent.expert("gpt", 0.05)), null, null);
    DeferralTable t =
        DeferralTable.builder("c.csv", 2)
            .agent("net", new AgentColumns(2, null, null, null, 0, new double[] {0.0, 0.4}))
            .agent("gpt", new AgentColumns(2, null, null, null, 0, new double[] {Double.NaN, 0.2}))
            .build();
    CostMatrix c = new CostModel(spec).costs(t);
    assertThat(c.cost(0, 0)).isEqualTo(0.0);
    assertThat(c.correct(0, 0)).isEqualTo((byte) 1);
    assertThat(c.cost(1, 0)).isCloseTo(0.4, within(TOL));
    assertThat(c.correct(1, 0)).isEqualTo((byte) 0);
    assertThat(c.available(0, 1)).isFalse();
    assertThat(c.correct(0, 1)).isEqualTo(CostMatrix.UNKNOWN);
    assertThat(c.cost(1, 1)).isCloseTo(0.25, within(TOL));
    assertThat(c.correct(1, 1)).isEqualTo((byte) 0);
  }

  @Test
  void withoutFrozenModelTheModelColumnIsUnavailable() {
    TaskSpec spec = TaskSpec.classification(CLASSES, null, List.of(Agent.expert("alice", 0)));
    DeferralTable t =
        DeferralTable.builder("t.csv", 2)
            .labels(new int[] {0, 1})
            .agent("alice", classes(0, 0))
            .build();
    CostModel model = new CostModel(spec);
    CostMatrix c = model.costs(t);
    assertThat(c.agents().names()).containsExactly("model", "alice");
    assertThat(c.available(0, 0)).isFalse();
    assertThat(c.available(1, 0)).isFalse();
    assertThat(c.cost(1, 1)).isEqualTo(1.0);
    // Supplying a learned model's predictions fills column 0.
    CostMatrix learned = model.costs(t, classes(0, 1));
    assertThat(learned.cost(0, 0)).isEqualTo(0.0);
    assertThat(learned.cost(1, 0)).isEqualTo(0.0);
  }

  @Test
  void missingTruthOrAgentColumnIsAnError() {
    TaskSpec spec = TaskSpec.classification(CLASSES, "net", List.of(Agent.expert("alice", 0)));
    DeferralTable noLabels =
        DeferralTable.builder("t.csv", 1)
            .agent("net", classes(0))
            .agent("alice", classes(0))
            .build();
    assertThatThrownBy(() -> new CostModel(spec).costs(noLabels))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("t.csv")
        .hasMessageContaining("'y'");
    DeferralTable noAlice =
        DeferralTable.builder("t.csv", 1).labels(new int[] {0}).agent("net", classes(0)).build();
    assertThatThrownBy(() -> new CostModel(spec).costs(noAlice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alice");
  }
}
