package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.Committees;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/** Committee costs worked out by hand on four cases (two-stage: a frozen model and two experts). */
class CommitteeEvaluationTest {
  static final TaskSpec TASK =
      TaskSpec.classification(
          List.of("a", "b", "c"), "clf", List.of(Agent.expert("e1", 0.1), Agent.expert("e2", 0.3)));

  /** y = 0, 1, 2, 0; clf answers 0, 2, 2, 1; e1 answers 0, 1, 0, 1; e2 answers 1, 1, 2, 0. */
  static DeferralTable table() {
    return DeferralTable.builder("four", 4)
        .labels(new int[] {0, 1, 2, 0})
        .agent("clf", new AgentColumns(4, new int[] {0, 2, 2, 1}, null, null, 0, null))
        .agent("e1", new AgentColumns(4, new int[] {0, 1, 0, 1}, null, null, 0, null))
        .agent("e2", new AgentColumns(4, new int[] {1, 1, 2, 0}, null, null, 0, null))
        .build();
  }

  @Test
  void costsAreFeesPlusTheErrorOfTheVote() {
    // committees: {clf}, {e1, clf, e2}, {e2, e1}, {e1, e2, clf}
    Committees c =
        Committees.of(
            new int[] {0, 1, 4, 6, 9},
            new int[] {0, 1, 0, 2, 2, 1, 1, 2, 0},
            new int[] {-1, -1, -1, -1, -1, -1, -1, -1, -1},
            new double[] {1, 3, 2, 1, 2, 1, 3, 2, 1},
            Aggregator.VOTE);
    Decisions d = Decisions.builder(TASK.agents(), new int[] {0, 1, 2, 1}).committees(c).build();
    CommitteeEvaluation e =
        CommitteeEvaluation.of("k", d, TASK, table(), Evaluator.Options.defaults());
    // row 1: clf says 0 = y → cost 0
    // row 2: votes 1, 2, 1 → 1 = y; fees 0.1 + 0.3 → 0.4
    // row 3: votes e2 2, e1 0 → tie, the higher-ranked e2 wins: 2 = y; fees 0.4
    // row 4: votes 1, 0, 1 → 1 ≠ y 0; fees 0.4 + error 1 → 1.4
    assertThat(e.meanCost().estimate()).isCloseTo((0 + 0.4 + 0.4 + 1.4) / 4, within(1e-12));
    assertThat(e.accuracy().estimate()).isCloseTo(0.75, within(1e-12));
    assertThat(e.meanFees()).isCloseTo(1.2 / 4, within(1e-12));
    assertThat(e.meanError()).isCloseTo(0.25, within(1e-12));
    assertThat(e.meanSize()).isCloseTo(9 / 4.0, within(1e-12));
    assertThat(e.sizes()).containsEntry(1, 1).containsEntry(2, 1).containsEntry(3, 2);
    assertThat(e.workload()).containsEntry("clf", 0.75).containsEntry("e1", 0.75);
    assertThat(e.workload().get("e2")).isCloseTo(0.75, within(1e-12));
    // eq. 18: Σ members' own costs: row 1 clf 0; row 2 e1 0.1 + clf 1 + e2 0.3; row 3 e2 0.3 +
    // e1 1.1; row 4 e1 1.1 + e2 0.3 + clf 1
    assertThat(e.topKLoss()).isCloseTo((0 + 1.4 + 1.4 + 2.4) / 4, within(1e-12));
    assertThat(e.meanCost().lower()).isLessThanOrEqualTo(e.meanCost().estimate());
    assertThat(e.meanCost().upper()).isGreaterThanOrEqualTo(e.meanCost().estimate());
  }

  /**
   * Regression, squared loss, λ_reg = 1: committees {m, e1} and {e1, m, e2}; mean and median of the
   * members' values against t.
   */
  @Test
  void regressionCommitteesAverageTheAnswers() {
    TaskSpec task =
        new TaskSpec(
            TaskKind.REGRESSION,
            List.of(),
            "m",
            List.of(Agent.expert("e1", 0.5), Agent.expert("e2", 0.25)),
            new CostWeights(0.0, 1.0, RegressionLoss.SQUARED, Double.POSITIVE_INFINITY),
            null);
    DeferralTable t =
        DeferralTable.builder("two", 2)
            .targets(new double[] {1.0, 10.0})
            .agent("m", new AgentColumns(2, null, new double[] {2.0, 4.0}, null, 0, null))
            .agent("e1", new AgentColumns(2, null, new double[] {0.0, 10.0}, null, 0, null))
            .agent("e2", new AgentColumns(2, null, new double[] {5.0, 13.0}, null, 0, null))
            .build();
    int[] offsets = {0, 2, 5};
    int[] agents = {0, 1, 1, 0, 2};
    int[] votes = {-1, -1, -1, -1, -1};
    double[] scores = {2, 1, 3, 2, 1};
    Evaluator.Options none = Evaluator.Options.defaults().withResamples(0);
    Decisions mean =
        Decisions.builder(task.agents(), new int[] {0, 1})
            .committees(Committees.of(offsets, agents, votes, scores, Aggregator.MEAN))
            .build();
    // row 1: mean(2, 0) = 1 → error 0, fees 0.5; row 2: mean(10, 4, 13) = 9 → error 1, fees 0.75
    CommitteeEvaluation e = CommitteeEvaluation.of("mean", mean, task, t, none);
    assertThat(e.meanCost().estimate()).isCloseTo((0.5 + 1.75) / 2, within(1e-12));
    assertThat(e.accuracy().estimate()).isNaN();
    Decisions median =
        Decisions.builder(task.agents(), new int[] {0, 1})
            .committees(Committees.of(offsets, agents, votes, scores, Aggregator.MEDIAN))
            .build();
    // row 2: median(10, 4, 13) = 10 → error 0
    assertThat(CommitteeEvaluation.of("median", median, task, t, none).meanError())
        .isCloseTo(0.0, within(1e-12));
  }

  @Test
  void refusesWhatItCannotScore() {
    Decisions plain = Decisions.builder(TASK.agents(), new int[4]).build();
    assertThatThrownBy(
            () -> CommitteeEvaluation.of("k", plain, TASK, table(), Evaluator.Options.defaults()))
        .hasMessageContaining("no committees");
    Committees c =
        Committees.of(
            new int[] {0, 1, 2, 3, 4},
            new int[4],
            new int[] {-1, -1, -1, -1},
            new double[4],
            Aggregator.MEAN);
    Decisions d = Decisions.builder(TASK.agents(), new int[4]).committees(c).build();
    assertThatThrownBy(
            () -> CommitteeEvaluation.of("k", d, TASK, table(), Evaluator.Options.defaults()))
        .hasMessageContaining("use vote or weighted-vote");
  }
}
