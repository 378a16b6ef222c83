package org.defer4j.core.expert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;
import org.junit.jupiter.api.Test;

/** The EM end to end on a problem whose expert is right far more often than the model. */
class WorkloadEmTrainerTest {
  private static final DiscreteDeferralProblem PROBLEM =
      DiscreteDeferralProblem.random(8, 3, 1, 0.7, 0.3, 0.95, 0.0, new SplittableRandom(11));

  private static LearnedPolicy fit(double upper, DeferralTable train) {
    return new WorkloadEmTrainer(
            DeferralTrainer.linear(0),
            TrainOptions.defaults().withEpochs(3).withLearningRate(0.05).withSeed(1),
            5,
            new double[] {0, 0},
            new double[] {1, upper},
            FeatureOptions.defaults(),
            false)
        .fit(PROBLEM.task(), train, null, TrainingListener.NONE);
  }

  private static double deferralRate(LearnedPolicy p, DeferralTable t) {
    Decisions d = p.decide(t);
    int k = 0;
    for (int i = 0; i < t.rows(); i++) {
      k += d.agent(i) != 0 ? 1 : 0;
    }
    return (double) k / t.rows();
  }

  /**
   * The last E-step's posteriors meet the bound to 1e-9 (the projection is exact); the trained gate
   * then defers less than the unbounded one. The bound is learned, not enforced, so its test share
   * is only checked to move the right way.
   */
  @Test
  void workloadBoundShapesThePosteriorsAndTheGate() {
    SplittableRandom rng = new SplittableRandom(4);
    DeferralTable train = PROBLEM.sample(2000, rng.split());
    DeferralTable test = PROBLEM.sample(2000, rng.split());
    String expert = PROBLEM.task().experts().get(0).name();
    LearnedPolicy free = fit(1, train);
    LearnedPolicy bounded = fit(0.15, train);
    assertThat(bounded.provenance().metrics().get("train_posterior_share." + expert))
        .isLessThanOrEqualTo(0.15 + 1e-9);
    assertThat(bounded.provenance().metrics().get("train_posterior_violation"))
        .isLessThanOrEqualTo(1e-9);
    double freeRate = deferralRate(free, test);
    assertThat(freeRate).isGreaterThan(0.3);
    assertThat(deferralRate(bounded, test)).isLessThan(freeRate - 0.1);
  }
}
