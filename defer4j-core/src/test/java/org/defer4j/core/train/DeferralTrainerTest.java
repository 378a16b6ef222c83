package org.defer4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/**
 * The trainer end to end on problems with known laws. Expected values come from the problems'
 * closed-form risks ({@link DiscreteDeferralProblem#risk}); tolerances allow for sampling error at
 * the stated n.
 */
class DeferralTrainerTest {
  private static final DiscreteDeferralProblem PROBLEM =
      DiscreteDeferralProblem.random(8, 3, 1, 0.7, 0.3, 0.95, 0.0, new SplittableRandom(11));

  /**
   * The policy's decision in every cell (the argmax class when it keeps the case, K + j − 1 when it
   * defers to expert j), read from a cases table that holds only the one-hot cell features: a
   * policy decides from the cases alone, every agent available.
   */
  private static int[] decisionsPerCell(LearnedPolicy policy, DiscreteDeferralProblem p) {
    int cells = p.cells();
    double[] features = new double[cells * cells];
    for (int c = 0; c < cells; c++) {
      features[c * cells + c] = 1;
    }
    List<String> names = p.sample(1, new SplittableRandom(0)).featureNames();
    DeferralTable one = DeferralTable.builder("cells", cells).features(names, features).build();
    Decisions d = policy.decide(one);
    int[] out = new int[cells];
    for (int c = 0; c < cells; c++) {
      out[c] = d.agent(c) == 0 ? d.predictedClass(c) : p.classes() + d.agent(c) - 1;
    }
    return out;
  }

  @Test
  void crossEntropyApproachesTheBayesRuleWithEnoughData() {
    SplittableRandom rng = new SplittableRandom(5);
    DeferralTable train = PROBLEM.sample(20_000, rng.split());
    DeferralTable val = PROBLEM.sample(4_000, rng.split());
    DeferralTrainer trainer =
        new DeferralTrainer(
            Surrogates.crossEntropy(),
            DeferralTrainer.linear(0.0),
            TrainOptions.defaults().withAlgorithm(Algorithm.LBFGS).withEpochs(200),
            false);
    LearnedPolicy model = trainer.fit(PROBLEM.task(), train, val, TrainingListener.NONE);
    double excess = PROBLEM.risk(decisionsPerCell(model, PROBLEM)) - PROBLEM.bayesRisk();
    // With 2,500 rows per cell, empirical conditional laws are within ~0.02 of the truth, so the
    // learned rule can only err on cells whose decisions differ by less than that.
    assertThat(excess).isBetween(0.0, 0.01);
  }

  @Test
  void sameSeedGivesIdenticalParameters() {
    DeferralTable train = PROBLEM.sample(3_000, new SplittableRandom(1));
    DeferralTable val = PROBLEM.sample(500, new SplittableRandom(2));
    DeferralTrainer trainer =
        new DeferralTrainer(
            Surrogates.oneVsAll(),
            DeferralTrainer.mlp(List.of(8), org.defer4j.core.model.Activation.TANH, 1e-4),
            TrainOptions.defaults().withEpochs(3).withSeed(42),
            false);
    double[] a =
        trainer.fit(PROBLEM.task(), train, val, TrainingListener.NONE).scorer().parameters();
    double[] b =
        trainer.fit(PROBLEM.task(), train, val, TrainingListener.NONE).scorer().parameters();
    assertThat(Arrays.equals(a, b)).isTrue();
    double[] c =
        new DeferralTrainer(
                Surrogates.oneVsAll(),
                DeferralTrainer.mlp(List.of(8), org.defer4j.core.model.Activation.TANH, 1e-4),
                TrainOptions.defaults().withEpochs(3).withSeed(43),
                false)
            .fit(PROBLEM.task(), train, val, TrainingListener.NONE)
            .scorer()
            .parameters();
    assertThat(Arrays.equals(a, c)).isFalse();
  }

  @Test
  void tunedThresholdNeverRaisesTheValidationCost() {
    SplittableRandom rng = new SplittableRandom(9);
    DeferralTable train = PROBLEM.sample(2_000, rng.split());
    DeferralTable val = PROBLEM.sample(2_000, rng.split());
    TrainOptions o = TrainOptions.defaults().withEpochs(5).withLearningRate(0.05);
    LearnedPolicy plain =
        new DeferralTrainer(Surrogates.crossEntropy(), DeferralTrainer.linear(0), o, false)
            .fit(PROBLEM.task(), train, val, TrainingListener.NONE);
    LearnedPolicy tuned =
        new DeferralTrainer(Surrogates.crossEntropy(), DeferralTrainer.linear(0), o, true)
            .fit(PROBLEM.task(), train, val, TrainingListener.NONE);
    assertThat(plain.rule().spec()).isEqualTo("argmax");
    assertThat(tuned.rule().spec()).startsWith("threshold:");
    double theta = Double.parseDouble(tuned.rule().spec().substring("threshold:".length()));
    assertThat(theta).isFinite();
    DeferralReport before = Evaluation.of(plain, PROBLEM.task(), val).report();
    DeferralReport after = Evaluation.of(tuned, PROBLEM.task(), val).report();
    // The tuning sweeps every cut of the validation rejection scores, θ = 0 (the argmax rule)
    // among them, so it cannot do worse on the table it was tuned on.
    assertThat(after.meanCost()).isLessThanOrEqualTo(before.meanCost() + 1e-12);
  }

  @Test
  void unobservedExpertIsNeverChosenAndNotCountedAsWrong() {
    SplittableRandom rng = new SplittableRandom(3);
    DeferralTable full = PROBLEM.sample(2_000, rng.split());
    int n = full.rows();
    int[] answers = full.agent("e1").predictedClasses();
    for (int i = 0; i < n; i += 2) {
      answers[i] = AgentColumns.UNOBSERVED;
    }
    DeferralTable sparse =
        DeferralTable.builder("sparse", n)
            .features(full.featureNames(), full.featureBlock().clone())
            .labels(full.labels())
            .agent("e1", new AgentColumns(n, answers, null, null, 0, null))
            .build();
    LearnedPolicy model =
        new DeferralTrainer(
                Surrogates.crossEntropy(),
                DeferralTrainer.linear(0),
                TrainOptions.defaults().withEpochs(3),
                false)
            .fit(PROBLEM.task(), sparse, null, TrainingListener.NONE);
    // Evaluation decides under the availability the table records: e1 is absent where it gave no
    // answer.
    Evaluation e = Evaluation.of(model, PROBLEM.task(), sparse);
    CostMatrix costs = e.costs();
    int[] d = e.decisions().agents();
    for (int i = 0; i < n; i += 2) {
      assertThat(costs.available(i, 1)).isFalse();
      assertThat(d[i]).isZero();
    }
  }

  @Test
  void oneStageSurrogateRejectsATaskWithAFrozenModel() {
    TaskSpec twoStage =
        TaskSpec.classification(List.of("a", "b"), "m", List.of(Agent.expert("e", 0)));
    DeferralTrainer t =
        new DeferralTrainer(
            Surrogates.crossEntropy(), DeferralTrainer.linear(0), TrainOptions.defaults(), false);
    DeferralTable table =
        DeferralTable.builder("t", 1)
            .features(List.of("x"), new double[] {1})
            .labels(new int[] {0})
            .agent("m", new AgentColumns(1, new int[] {0}, null, null, 0, null))
            .agent("e", new AgentColumns(1, new int[] {0}, null, null, 0, null))
            .build();
    assertThatThrownBy(() -> t.fit(twoStage, table, null, TrainingListener.NONE))
        .hasMessageContaining("frozen model 'm'")
        .hasMessageContaining("2s-");
  }

  @Test
  void nonFiniteLossStopsTheFitNamingWhere() {
    Scorer s = Scorers.create(ScorerSpec.linear(2, 3), new SplittableRandom(1));
    double[] features = {1, 0, 0, 1, 1, 1};
    RowLoss poisoned =
        (row, scores, grad) -> {
          Arrays.fill(grad, 0);
          return row == 2 ? Double.NaN : 0.0;
        };
    assertThatThrownBy(
            () ->
                new ScorerFitter(TrainOptions.defaults().withBatchSize(2))
                    .fit(
                        s,
                        features,
                        new int[] {0, 1, 2},
                        null,
                        poisoned,
                        null,
                        TrainingListener.NONE))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("epoch 1")
        .hasMessageContaining("row 2")
        .hasMessageContaining("scores [");
  }

  @Test
  void earlyStoppingKeepsTheBestEpoch() {
    DeferralTable train = PROBLEM.sample(1_000, new SplittableRandom(21));
    Scorer s = Scorers.create(ScorerSpec.linear(PROBLEM.cells(), 4), new SplittableRandom(3));
    double[] costs = {0.5, 0.4, 0.3, 0.35, 0.33, 0.34, 0.36, 0.37};
    int[] calls = {0};
    Validation v = scorer -> new Validation.Result(costs[calls[0]++], Double.NaN);
    FitResult r =
        new ScorerFitter(TrainOptions.defaults().withEpochs(8).withPatience(3))
            .fit(
                s,
                train.featureBlock(),
                java.util.stream.IntStream.range(0, train.rows()).toArray(),
                null,
                (row, scores, grad) -> {
                  Arrays.fill(grad, 0.01);
                  return 1.0;
                },
                v,
                TrainingListener.NONE);
    // Costs fall until epoch 3 and never beat it afterwards: patience 3 stops after epoch 6.
    assertThat(r.bestEpoch()).isEqualTo(3);
    assertThat(r.epochs()).isEqualTo(6);
    assertThat(r.stoppedEarly()).isTrue();
  }
}
