package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.model.LinearScorer;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Policies;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * Evaluation of a hand-built one-stage policy on a 4-row table, every number derived in comments:
 * the learned model's own answers fill the model's cost column.
 */
class EvaluationTest {
  /** Classes 0, 1; the learned model; expert e1 with fee 0.1 (α = 1 everywhere). */
  private static final TaskSpec TASK =
      TaskSpec.classification(List.of("0", "1"), null, List.of(Agent.expert("e1", 0.1)));

  /**
   * A linear scorer on one input x with class scores s_0 = −x, s_1 = x and deferral score s_⊥ = 0.5
   * (layout K + J = 3): the model predicts 1 iff x &gt; 0, its agent score is |x| (CLASS_MAX), and
   * the argmax defers iff 0.5 &gt; |x|.
   */
  static LearnedPolicy policy() {
    LinearScorer s = Scorers.linear(1, 3, new SplittableRandom(0));
    double[] theta = s.parameters();
    // Weights (3 × 1) then biases (3).
    theta[0] = -1;
    theta[1] = 1;
    theta[2] = 0;
    theta[3] = 0;
    theta[4] = 0;
    theta[5] = 0.5;
    return new LearnedPolicy(
        TASK,
        FeaturePipeline.of(List.of("x"), List.of()),
        s,
        ScoreHead.CLASS_MAX,
        DecisionRules.argmax(),
        Provenance.of("ce"));
  }

  //  row   x      y   e1 says   model (|x| vs 0.5)   decision
  //  0    −2      0   1         predicts 0           model  (cost 0)
  //  1    −0.2    1   1         predicts 0           e1     (cost 0 + 0.1)
  //  2     0.3    1   0         predicts 1           e1     (cost 1 + 0.1)
  //  3     1.5    0   0         predicts 1           model  (cost 1)
  static DeferralTable table() {
    return DeferralTable.builder("eval.csv", 4)
        .features(List.of("x"), new double[] {-2, -0.2, 0.3, 1.5})
        .labels(new int[] {0, 1, 1, 0})
        .agent("e1", new AgentColumns(4, new int[] {1, 1, 0, 0}, null, null, 0, null))
        .build();
  }

  @Test
  void theModelColumnComesFromThePolicysPredictions() {
    Evaluation e = Evaluation.of(policy(), TASK, table());
    Decisions d = e.decisions();
    assertThat(d.agents()).containsExactly(0, 1, 1, 0);
    assertThat(d.hasModelOutputs()).isTrue();
    assertThat(
            new int[] {
              d.predictedClass(0), d.predictedClass(1), d.predictedClass(2), d.predictedClass(3)
            })
        .containsExactly(0, 0, 1, 1);
    // Model costs: predictions 0, 0, 1, 1 against labels 0, 1, 1, 0 -> 0, 1, 0, 1; the table has no
    // column for the learned model at all.
    CostMatrix c = e.costs();
    assertThat(new double[] {c.cost(0, 0), c.cost(1, 0), c.cost(2, 0), c.cost(3, 0)})
        .containsExactly(0, 1, 0, 1);
    assertThat(new double[] {c.cost(0, 1), c.cost(1, 1), c.cost(2, 1), c.cost(3, 1)})
        .containsExactly(new double[] {1.1, 0.1, 1.1, 0.1}, within(1e-12));
    DeferralReport r = e.report();
    // System costs 0, 0.1, 1.1, 1 -> mean 2.2 / 4 = 0.55; right on rows 0 and 1.
    assertThat(r.meanCost()).isCloseTo(0.55, within(1e-12));
    assertThat(r.systemAccuracy()).isCloseTo(0.5, within(1e-12));
    assertThat(r.coverage()).isCloseTo(0.5, within(1e-12));
    // The model kept rows 0 (right) and 3 (wrong).
    assertThat(r.modelAccuracy()).isCloseTo(0.5, within(1e-12));
    assertThat(r.allocation()).containsEntry("model", 0.5).containsEntry("e1", 0.5);
    // Evaluation.costs is the same matrix, and without the predictions the model is unavailable.
    CostMatrix again = Evaluation.costs(TASK, table(), d);
    assertThat(again.row(2)).containsExactly(c.row(2));
    assertThat(Evaluation.costs(TASK, table(), Decisions.of(d.agents())).available(0, 0)).isFalse();
  }

  /** Evaluation decides under the observed availability: an unobserved expert is not asked. */
  @Test
  void unobservedExpertsAreUnavailable() {
    DeferralTable t =
        table().withAgent("e1", new AgentColumns(4, new int[] {1, -1, 0, 0}, null, null, 0, null));
    Evaluation e = Evaluation.of(policy(), TASK, t);
    // Row 1 would go to e1, which did not see it: the best-scored available agent is the model.
    assertThat(e.decisions().agents()).containsExactly(0, 0, 1, 0);
    assertThat(e.decisions().fellBack(1)).isTrue();
    assertThat(e.report().fallbackCount()).isEqualTo(1);
    assertThat(e.decisions().availability().available(1, 1)).isFalse();
    assertThat(e.decisions()).isEqualTo(policy().decide(t, Availability.observed(TASK, t)));
    // Model on row 1 predicts 0 against label 1: cost 1; total 0 + 1 + 1.1 + 1 = 3.1 -> 0.775.
    assertThat(e.report().meanCost()).isCloseTo(0.775, within(1e-12));
  }

  /** A baseline without a learned model reads the frozen model's column from the table. */
  @Test
  void baselinesUseTheTablesModelColumn() {
    TaskSpec twoStage =
        TaskSpec.classification(List.of("0", "1"), "m", List.of(Agent.expert("e1", 0.1)));
    DeferralTable t =
        table().withAgent("m", new AgentColumns(4, new int[] {0, 1, 0, -1}, null, null, 0, null));
    Evaluation e = Evaluation.of(Policies.model(), twoStage, t);
    // m is unobserved on row 3: the baseline falls back to the first available agent, e1.
    assertThat(e.decisions().agents()).containsExactly(0, 0, 0, 1);
    assertThat(e.decisions().hasModelOutputs()).isFalse();
    // m's costs: 0 (0 = 0), 0 (1 = 1), 1 (0 ≠ 1); e1 on row 3 says 0 = 0: 0.1. Mean 1.1 / 4.
    assertThat(e.report().meanCost()).isCloseTo(0.275, within(1e-12));
  }
}
