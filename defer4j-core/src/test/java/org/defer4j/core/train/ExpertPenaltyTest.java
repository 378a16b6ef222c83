package org.defer4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.junit.jupiter.api.Test;

/** The expert penalty on a problem where the unpenalised policy defers often. */
class ExpertPenaltyTest {
  private static final DiscreteDeferralProblem PROBLEM =
      DiscreteDeferralProblem.random(8, 3, 1, 0.7, 0.3, 0.95, 0.0, new SplittableRandom(11));

  private static double deferralRate(double lambda, DeferralTable train, DeferralTable test) {
    DeferralTrainer t =
        new DeferralTrainer(
                Surrogates.crossEntropy(),
                DeferralTrainer.linear(0.0),
                TrainOptions.defaults().withAlgorithm(Algorithm.LBFGS).withEpochs(100),
                false)
            .withLossExtension(lambda > 0 ? new ExpertPenalty(lambda) : null);
    LearnedPolicy p = t.fit(PROBLEM.task(), train, null, TrainingListener.NONE);
    Decisions d = p.decide(test);
    int deferred = 0;
    for (int i = 0; i < test.rows(); i++) {
      deferred += d.agent(i) != 0 ? 1 : 0;
    }
    return (double) deferred / test.rows();
  }

  /**
   * Deferral falls as λ grows: each step may not raise it (tolerance 0.01 for the optimiser's
   * stopping point), and λ = 2 — more than any expert's gain in correctness (at most 1) — leaves at
   * most a quarter of the unpenalised deferral.
   */
  @Test
  void deferralRateFallsMonotonicallyWithLambda() {
    SplittableRandom rng = new SplittableRandom(2);
    DeferralTable train = PROBLEM.sample(4000, rng.split());
    DeferralTable test = PROBLEM.sample(4000, rng.split());
    double[] lambdas = {0, 0.1, 0.3, 1, 2};
    double[] rate = new double[lambdas.length];
    for (int i = 0; i < lambdas.length; i++) {
      rate[i] = deferralRate(lambdas[i], train, test);
    }
    assertThat(rate[0]).isGreaterThan(0.2);
    for (int i = 1; i < rate.length; i++) {
      assertThat(rate[i]).as("lambda %s", lambdas[i]).isLessThanOrEqualTo(rate[i - 1] + 0.01);
    }
    assertThat(rate[rate.length - 1]).isLessThanOrEqualTo(rate[0] / 4);
  }

  @Test
  void negativeLambdaIsRejected() {
    assertThatThrownBy(() -> new ExpertPenalty(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.1");
  }
}
