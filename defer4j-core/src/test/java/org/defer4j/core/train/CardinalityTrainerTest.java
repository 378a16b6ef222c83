package org.defer4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.metric.CommitteeEvaluation;
import org.defer4j.core.metric.Evaluator;
import org.defer4j.core.policy.Aggregator;
import org.defer4j.core.policy.CommitteeRule;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.synthetic.ConsistencyExperiment;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.junit.jupiter.api.Test;

/**
 * The learned committee size k(x) (a reconstruction, see {@link CardinalityTrainer}): its two
 * limits and its point on the frontier against fixed k.
 */
class CardinalityTrainerTest {
  /**
   * Half the cells are easy (the model is right with probability 0.95), half are hard (0.4): on
   * hard cells three 0.8-accurate experts voting beat any one; fees 0.05 each.
   */
  static DiscreteDeferralProblem easyAndHard() {
    int cells = 8;
    double[][] law = new double[cells][3];
    double[][] acc = new double[cells][3];
    for (int c = 0; c < cells; c++) {
      double top = c % 2 == 0 ? 0.95 : 0.4;
      for (int k = 0; k < 3; k++) {
        law[c][k] = k == c % 3 ? top : (1 - top) / 2;
        acc[c][k] = 0.8;
      }
    }
    return new DiscreteDeferralProblem(law, acc, new double[] {0.05, 0.05, 0.05});
  }

  static TrainOptions options() {
    return new TrainOptions(Algorithm.ADAM, 0.05, 200, 256, 10, 1L);
  }

  @Test
  void limitsOfLambda() {
    DiscreteDeferralProblem p = easyAndHard();
    DeferralTable train = p.sample(6_000, new SplittableRandom(1));
    DeferralTable val = p.sample(3_000, new SplittableRandom(2));
    LearnedPolicy base =
        ConsistencyExperiment.run(
                Surrogates.topK(), p, 6_000, 1, 0.0, ConsistencyExperiment.defaultOptions())
            .model();
    DeferralTable test = p.sample(6_000, new SplittableRandom(3));
    Evaluator.Options noIntervals = Evaluator.Options.defaults().withResamples(0);
    // λ huge: fees dominate, so k(x) = 1 everywhere.
    LearnedPolicy dear =
        new CardinalityTrainer(
                4,
                100.0,
                CommitteeRule.Penalty.FEES,
                Aggregator.VOTE,
                options(),
                DeferralTrainer.linear(0))
            .fit(base, p.task(), train, val, TrainingListener.NONE);
    CommitteeEvaluation e =
        CommitteeEvaluation.of("dear", dear.decide(test), p.task(), test, noIntervals);
    assertThat(e.meanSize()).isEqualTo(1.0);
    // λ = 1 with fees: the committee's true cost; k(x) must do at least as well as every fixed k
    // (within 0.01, the test set's sampling error of a cost difference).
    LearnedPolicy adaptive =
        new CardinalityTrainer(
                4,
                1.0,
                CommitteeRule.Penalty.FEES,
                Aggregator.VOTE,
                options(),
                DeferralTrainer.linear(0))
            .fit(base, p.task(), train, val, TrainingListener.NONE);
    double adaptiveCost =
        CommitteeEvaluation.of("adaptive", adaptive.decide(test), p.task(), test, noIntervals)
            .meanCost()
            .estimate();
    for (int k = 1; k <= 4; k++) {
      double fixed =
          CommitteeEvaluation.of(
                  "k" + k,
                  base.withCommittee(CommitteeRule.topK(k, Aggregator.VOTE)).decide(test),
                  p.task(),
                  test,
                  noIntervals)
              .meanCost()
              .estimate();
      assertThat(adaptiveCost).as("adaptive vs k = %d", k).isLessThanOrEqualTo(fixed + 0.01);
    }
  }

  @Test
  void rejectsBadParameters() {
    assertThatThrownBy(
            () ->
                new CardinalityTrainer(
                    1,
                    0,
                    CommitteeRule.Penalty.FEES,
                    Aggregator.VOTE,
                    options(),
                    DeferralTrainer.linear(0)))
        .hasMessageContaining("k >= 2");
    assertThatThrownBy(
            () ->
                new CardinalityTrainer(
                    3,
                    -1,
                    CommitteeRule.Penalty.FEES,
                    Aggregator.VOTE,
                    options(),
                    DeferralTrainer.linear(0)))
        .hasMessageContaining("lambda");
  }
}
