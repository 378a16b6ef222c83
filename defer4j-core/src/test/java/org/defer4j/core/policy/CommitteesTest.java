package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.synthetic.ConsistencyExperiment;
import org.defer4j.core.synthetic.DiscreteDeferralProblem;
import org.defer4j.core.synthetic.TopKExperiment;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Top-k committees of a learned policy: selection among the available entities, k = 1 equal to the
 * single-agent decisions, and convergence of the top-k target loss (survey eq. 18) to the Bayes
 * top-k rule on problems with known laws.
 */
class CommitteesTest {
  static LearnedPolicy policy;
  static DiscreteDeferralProblem problem;

  @BeforeAll
  static void train() {
    problem = TopKExperiment.specialists(0.05);
    policy =
        ConsistencyExperiment.run(
                Surrogates.topK(), problem, 20_000, 3, 0.0, ConsistencyExperiment.defaultOptions())
            .model();
  }

  /** A random availability mask over a table's rows, the model always available. */
  static Availability randomAvailability(TaskSpec task, int rows, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int a = task.agents().size();
    boolean[] m = new boolean[rows * a];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < a; j++) {
        m[i * a + j] = j == 0 || rnd.nextDouble() < 0.6;
      }
    }
    return Availability.of(task.agents(), m);
  }

  @Test
  void kEqualToOneGivesExactlyTheSingleAgentDecisions() {
    DeferralTable cases = problem.sample(2_000, new SplittableRandom(11));
    Availability av = randomAvailability(problem.task(), cases.rows(), 5);
    Decisions single = policy.decide(cases, av);
    Decisions top1 = policy.withCommittee(CommitteeRule.topK(1, Aggregator.VOTE)).decide(cases, av);
    assertThat(top1.hasCommittees()).isTrue();
    assertThat(top1.agents()).isEqualTo(single.agents());
    assertThat(top1.withoutCommittees()).isEqualTo(single);
    for (int i = 0; i < cases.rows(); i++) {
      Committees c = top1.committees();
      assertThat(c.size(i)).isEqualTo(1);
      assertThat(c.agent(i, 0)).isEqualTo(single.agent(i));
      if (single.agent(i) == 0) {
        assertThat(c.vote(i, 0)).isEqualTo(single.predictedClass(i));
      }
    }
  }

  @Test
  void committeesAreTheBestScoredAvailableEntitiesInOrder() {
    DeferralTable cases = problem.sample(500, new SplittableRandom(12));
    Availability av = randomAvailability(problem.task(), cases.rows(), 6);
    Decisions d = policy.withCommittee(CommitteeRule.topK(4, Aggregator.VOTE)).decide(cases, av);
    Committees c = d.committees();
    int k = problem.classes();
    for (int i = 0; i < cases.rows(); i++) {
      int experts = 0;
      for (int j = 1; j <= problem.experts(); j++) {
        experts += av.available(i, j) ? 1 : 0;
      }
      assertThat(c.size(i)).isEqualTo(Math.min(4, k + experts));
      for (int m = 0; m < c.size(i); m++) {
        assertThat(av.available(i, c.agent(i, m))).isTrue();
        if (m > 0) {
          assertThat(c.score(i, m)).isLessThanOrEqualTo(c.score(i, m - 1));
        }
        assertThat(c.vote(i, m) >= 0).isEqualTo(c.agent(i, m) == 0);
      }
      Decision one = d.get(i);
      assertThat(one.kind()).isEqualTo(Decision.Kind.COMMITTEE);
      for (String name : one.chosen()) {
        assertThat(one.reason(name)).isEqualTo(Decision.Reason.CHOSEN);
      }
    }
    // select and concat keep the committees
    Decisions again =
        Decisions.concat(List.of(d.select(new int[] {0, 1, 2}), d.select(new int[] {3, 4})));
    assertThat(again.committees()).isEqualTo(d.committees().select(new int[] {0, 1, 2, 3, 4}));
  }

  @Test
  void singleCaseDecisionMatchesTheBatch() {
    DeferralTable cases = problem.sample(20, new SplittableRandom(13));
    LearnedPolicy p = policy.withCommittee(CommitteeRule.topK(3, Aggregator.VOTE));
    Decisions batch = p.decide(cases);
    for (int i = 0; i < cases.rows(); i++) {
      Map<String, Double> x = new java.util.HashMap<>();
      for (int f = 0; f < cases.featureCount(); f++) {
        x.put(cases.featureNames().get(f), cases.feature(i, f));
      }
      Decision one = p.decide(x, null);
      assertThat(one.chosen()).isEqualTo(batch.get(i).chosen());
      assertThat(one.kind()).isEqualTo(Decision.Kind.COMMITTEE);
    }
  }

  /**
   * Two-stage (head AGENTS): the entities are the agents themselves, each answering for itself
   * (vote −1), ranked by the rejector's scores among the available ones.
   */
  @Test
  void twoStageCommitteesRankTheAvailableAgents() {
    TaskSpec task =
        TaskSpec.classification(
            List.of("a", "b"),
            "clf",
            List.of(
                org.defer4j.core.agent.Agent.expert("e1", 0.1),
                org.defer4j.core.agent.Agent.expert("e2", 0.1),
                org.defer4j.core.agent.Agent.expert("e3", 0.1)));
    SplittableRandom rnd = new SplittableRandom(3);
    LearnedPolicy p =
        new LearnedPolicy(
                task,
                org.defer4j.core.feature.FeaturePipeline.of(List.of("f0", "f1"), List.of()),
                org.defer4j.core.model.Scorers.create(
                    org.defer4j.core.model.ScorerSpec.linear(2, 4), rnd.split()),
                ScoreHead.AGENTS,
                DecisionRules.argmax(),
                Provenance.of("test"))
            .withCommittee(CommitteeRule.topK(3, Aggregator.VOTE));
    int n = 300;
    double[] x = new double[n * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian();
    }
    Availability av = randomAvailability(task, n, 8);
    Decisions d = p.decideInputs(x, null, av, null, "t");
    Committees c = d.committees();
    for (int i = 0; i < n; i++) {
      java.util.List<Integer> avail = new java.util.ArrayList<>();
      for (int j = 0; j < 4; j++) {
        if (av.available(i, j)) {
          avail.add(j);
        }
      }
      final int row = i;
      avail.sort((u, v) -> Double.compare(d.score(row, v), d.score(row, u)));
      assertThat(c.size(i)).isEqualTo(Math.min(3, avail.size()));
      for (int m = 0; m < c.size(i); m++) {
        assertThat(c.agent(i, m)).isEqualTo(avail.get(m));
        assertThat(c.vote(i, m)).isEqualTo(-1);
      }
    }
  }

  @Test
  void committeesNeedTheArgmaxRule() {
    assertThatThrownBy(
            () ->
                policy
                    .withRule(DecisionRules.threshold(0.5))
                    .withCommittee(CommitteeRule.topK(2, Aggregator.VOTE)))
        .hasMessageContaining("argmax");
  }

  /**
   * The k-independent surrogate trained once approaches the Bayes top-k rule for every k (the
   * property of survey eq. 19): the excess top-k risk Σ_{e ∈ H_k} r(e | x) − min_{|S| = k} Σ_{e ∈
   * S} r(e | x), averaged over the cells, falls with n and is below 0.02 for every k at n = 20,000
   * (the tolerance covers sampling noise of the cell laws: with 1,700 rows a cell, conditional
   * risks are estimated to about ±0.012).
   */
  @Test
  void topKLossApproachesTheBayesTopKRule() {
    double[][] excess = new double[3][3];
    int[] sizes = {200, 2_000, 20_000};
    for (int s = 0; s < sizes.length; s++) {
      LearnedPolicy p =
          s == 2
              ? policy
              : ConsistencyExperiment.run(
                      Surrogates.topK(),
                      problem,
                      sizes[s],
                      3,
                      0.0,
                      ConsistencyExperiment.defaultOptions())
                  .model();
      for (int k = 1; k <= 3; k++) {
        excess[s][k - 1] = TopKExperiment.excessTopK(p, problem, k);
      }
    }
    for (int k = 0; k < 3; k++) {
      assertThat(excess[2][k])
          .as("k = %d: %s", k + 1, Arrays.deepToString(excess))
          .isLessThan(0.02);
      assertThat(excess[2][k]).isLessThanOrEqualTo(excess[0][k] + 1e-12);
    }
  }

  @Test
  void aggregators() {
    // vote: class 2 twice beats 1 once; tie 1 vs 2 goes to the higher-ranked voter
    assertThat(Aggregator.VOTE.aggregateClass(new int[] {1, 2, 2}, new double[] {3, 2, 1}, 3))
        .isEqualTo(2);
    assertThat(Aggregator.VOTE.aggregateClass(new int[] {1, 2}, new double[] {3, 2}, 2))
        .isEqualTo(1);
    assertThat(Aggregator.VOTE.aggregateClass(new int[] {-1, 2}, new double[] {3, 2}, 2))
        .isEqualTo(2);
    // weighted: softmax(5, 0, 0) puts 0.987 on class 1 against 0.013 for two votes of class 2
    assertThat(
            Aggregator.WEIGHTED_VOTE.aggregateClass(new int[] {1, 2, 2}, new double[] {5, 0, 0}, 3))
        .isEqualTo(1);
    assertThat(Aggregator.MEAN.aggregateValue(new double[] {1, 2, 6}, new double[3], 3))
        .isEqualTo(3.0);
    assertThat(Aggregator.MEDIAN.aggregateValue(new double[] {1, 2, 6, 10}, new double[4], 4))
        .isEqualTo(4.0);
    // weights e^{log 3} : e^0 = 3 : 1 → (3·1 + 1·5) / 4
    assertThat(
            Aggregator.WEIGHTED_MEAN.aggregateValue(
                new double[] {1, 5}, new double[] {Math.log(3), 0}, 2))
        .isCloseTo(2.0, within(1e-12));
    assertThat(Aggregator.parse("weighted-vote")).isEqualTo(Aggregator.WEIGHTED_VOTE);
    assertThatThrownBy(() -> Aggregator.parse("max")).hasMessageContaining("vote");
    assertThatThrownBy(() -> Aggregator.MEAN.aggregateClass(new int[1], new double[1], 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void ruleSpellings() {
    assertThat(CommitteeRule.topK(3, Aggregator.WEIGHTED_VOTE).spec())
        .isEqualTo("top-k:3:weighted-vote");
    assertThat(CommitteeRule.parseFixed("top-k:2:vote").k()).isEqualTo(2);
    assertThatThrownBy(() -> CommitteeRule.topK(0, Aggregator.VOTE)).hasMessageContaining("k >= 1");
    assertThatThrownBy(() -> CommitteeRule.parseFixed("adaptive:vote"))
        .hasMessageContaining("top-k:K");
  }
}
