package org.defer4j.ortools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.constraint.LinearDeferralMilp;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.LinearDeferralProblem;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.MilpTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * The exact MILP on Mozannar et al.'s realizable linear problem (small n so SCIP proves optimality
 * in well under the time limit): zero training error where cross-entropy does not reach it, the
 * coverage row respected exactly by the saved policy, and the multiclass program (sum over wrong
 * classes only) separating a realizable 3-class sample.
 */
class ScipDeferralMilpTest {
  private static final LinearDeferralMilp.Options FAST =
      LinearDeferralMilp.Options.defaults().withTimeLimit(20);

  private static double trainingError(LearnedPolicy p, TaskSpec task, DeferralTable t) {
    return 1 - Evaluation.of(p, task, t).report().systemAccuracy();
  }

  @Test
  void zeroTrainingErrorOnTheRealizableProblemWhereCrossEntropyErrs() {
    LinearDeferralProblem p = LinearDeferralProblem.realizable(3, new SplittableRandom(11));
    DeferralTable train = p.sample(80, new SplittableRandom(5));
    MilpTrainer milp = new MilpTrainer(new ScipDeferralMilp(), FAST, FeatureOptions.defaults());
    LearnedPolicy policy = milp.fit(p.task(), train, null, TrainingListener.NONE);
    assertThat(milp.lastSolution().status()).isEqualTo("OPTIMAL");
    assertThat(milp.lastSolution().objective()).isLessThan(1e-9);
    assertThat(trainingError(policy, p.task(), train)).isZero();
    assertThat(policy.provenance().metrics()).containsEntry("milp_gap", 0.0);

    TrainOptions lbfgs = new TrainOptions(Algorithm.LBFGS, 1.0, 300, 1, 0, 1);
    LearnedPolicy ce =
        new DeferralTrainer(Surrogates.byName("ce"), DeferralTrainer.linear(0), lbfgs, false)
            .fit(p.task(), train, null, TrainingListener.NONE);
    assertThat(trainingError(ce, p.task(), train)).isGreaterThan(0.0);
  }

  @Test
  void theCoverageRowIsNeverExceeded() {
    LinearDeferralProblem p = LinearDeferralProblem.realizable(3, new SplittableRandom(11));
    DeferralTable train = p.sample(40, new SplittableRandom(6));
    MilpTrainer milp =
        new MilpTrainer(
            new ScipDeferralMilp(),
            FAST.withTimeLimit(3).withMaxDeferralShare(0.2),
            FeatureOptions.defaults());
    LearnedPolicy policy = milp.fit(p.task(), train, null, TrainingListener.NONE);
    Decisions d = policy.decide(train);
    int deferred = 0;
    for (int i = 0; i < train.rows(); i++) {
      deferred += d.agent(i) == 1 ? 1 : 0;
    }
    // ⌊0.2 · 40⌋ = 8 (the unconstrained optimum defers about half); within the 3 s limit SCIP
    // may stop at a feasible point, which still satisfies the row.
    assertThat(deferred).isEqualTo(milp.lastSolution().deferred()).isLessThanOrEqualTo(8);
    assertThat(milp.lastSolution().status()).isIn("OPTIMAL", "FEASIBLE");
    assertThat(milp.lastSolution().gap()).isBetween(0.0, 1.0);
  }

  @Test
  void multiclassRealizableSampleIsSeparated() {
    SplittableRandom rng = new SplittableRandom(9);
    int n = 45;
    double[] x = new double[n * 2];
    int[] y = new int[n];
    int[] expert = new int[n];
    for (int i = 0; i < n; i++) {
      double a = rng.nextDouble() * 4 - 2;
      double b = rng.nextDouble() * 4 - 2;
      x[2 * i] = a;
      x[2 * i + 1] = b;
      if (a > 1.0) {
        // deferred region: a random label the expert knows
        y[i] = rng.nextInt(3);
        expert[i] = y[i];
      } else {
        // kept region: three linear cells, the expert guesses
        y[i] = b > 0.7 ? 2 : (b < -0.7 ? 0 : 1);
        expert[i] = rng.nextInt(3);
      }
    }
    TaskSpec task =
        TaskSpec.classification(List.of("a", "b", "c"), null, List.of(Agent.expert("e1", 0.0)));
    DeferralTable t =
        DeferralTable.builder("three-class", n)
            .features(List.of("x0", "x1"), x)
            .labels(y)
            .agent("e1", new AgentColumns(n, expert, null, null, 0, null))
            .build();
    MilpTrainer milp = new MilpTrainer(new ScipDeferralMilp(), FAST, FeatureOptions.defaults());
    LearnedPolicy policy = milp.fit(task, t, null, TrainingListener.NONE);
    assertThat(trainingError(policy, task, t)).isZero();
    assertThat(milp.lastSolution().optimal()).isTrue();
  }
}
