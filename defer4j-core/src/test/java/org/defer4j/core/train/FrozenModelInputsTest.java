package org.defer4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.task.TaskSpec;
import org.junit.jupiter.api.Test;

/** The frozen model's confidence as score 0 of 2s-sb, and its probabilities as features. */
class FrozenModelInputsTest {
  private static final TaskSpec TASK =
      TaskSpec.classification(
          List.of("a", "b"), "net", List.of(Agent.expert("e1", 0.0), Agent.expert("e2", 0.3)));

  /**
   * A table where x is noise and only the model's confidence p carries information: the model is
   * right with probability p; e1 is right with probability 0.75 (fee 0), e2 always (fee 0.3). With
   * p ~ U[0.5, 1] the Bayes rule keeps the model when p ≥ 0.75 (E[c_0] = 1 − p).
   */
  static DeferralTable table(int n, SplittableRandom rnd) {
    double[] x = new double[2 * n];
    int[] y = new int[n];
    int[] net = new int[n];
    double[] prob = new double[2 * n];
    int[] e1 = new int[n];
    int[] e2 = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = rnd.nextDouble() - 0.5;
      x[2 * i + 1] = rnd.nextDouble() - 0.5;
      y[i] = rnd.nextInt(2);
      double p = 0.5 + 0.5 * rnd.nextDouble();
      net[i] = rnd.nextDouble() < p ? y[i] : 1 - y[i];
      prob[2 * i + net[i]] = p;
      prob[2 * i + 1 - net[i]] = 1 - p;
      e1[i] = rnd.nextDouble() < 0.75 ? y[i] : 1 - y[i];
      e2[i] = y[i];
    }
    return DeferralTable.builder("conf", n)
        .features(List.of("x0", "x1"), x)
        .labels(y)
        .agent("net", new AgentColumns(n, net, null, prob, 2, null))
        .agent("e1", new AgentColumns(n, e1, null, null, 0, null))
        .agent("e2", new AgentColumns(n, e2, null, null, 0, null))
        .build();
  }

  private static final TrainOptions LBFGS = new TrainOptions(Algorithm.LBFGS, 1, 100, 1, 0, 3);

  /**
   * 2s-sb: score 0 of the fitted model is max_k p_net(k | x) from the table, and the scorer's own
   * output 0 never moved from its initialisation (it got no gradient).
   */
  @Test
  void scoreBasedTwoStageReadsTheModelConfidenceAndLearnsOnlyTheExperts() {
    DeferralTable train = table(400, new SplittableRandom(1));
    DeferralModel m =
        new DeferralTrainer(
                Surrogates.twoStageScoreBased(), DeferralTrainer.linear(0), LBFGS, false)
            .fit(TASK, train, null, TrainingListener.NONE);
    double[] s = m.scores(train);
    AgentColumns net = train.agent("net");
    for (int i = 0; i < train.rows(); i++) {
      assertThat(s[3 * i]).isEqualTo(net.maxProbability(i));
    }
    // The trainer initialises with new SplittableRandom(seed).split() (DeferralTrainer.fit).
    Scorer init =
        Scorers.create(ScorerSpec.linear(2, 3), new SplittableRandom(LBFGS.seed()).split());
    Scorer fitted = m.scorer();
    double[] a = new double[3];
    double[] b = new double[3];
    for (int i = 0; i < 20; i++) {
      init.forward(train.featureBlock(), 2 * i, a, init.newWorkspace());
      fitted.forward(train.featureBlock(), 2 * i, b, fitted.newWorkspace());
      assertThat(b[0]).isEqualTo(a[0]);
      assertThat(b[1]).isNotEqualTo(a[1]);
    }
  }

  @Test
  void scoreBasedTwoStageNeedsProbabilities() {
    DeferralTable t = table(50, new SplittableRandom(2));
    DeferralTable noProb =
        t.withAgent(
            "net", new AgentColumns(50, t.agent("net").predictedClasses(), null, null, 0, null));
    assertThatThrownBy(
            () ->
                new DeferralTrainer(
                        Surrogates.twoStageScoreBased(), DeferralTrainer.linear(0), LBFGS, false)
                    .fit(TASK, noProb, null, TrainingListener.NONE))
        .hasMessageContaining("m.net.p.<class>");
  }

  /** Appended features are named net.p.a, net.p.b and hold the probabilities. */
  @Test
  void appendsProbabilitiesAsFeatures() {
    DeferralTable t = table(10, new SplittableRandom(3));
    DeferralTable w = FrozenModelInputs.appendProbabilities(TASK, t);
    assertThat(w.featureNames()).containsExactly("x0", "x1", "net.p.a", "net.p.b");
    for (int i = 0; i < 10; i++) {
      assertThat(w.feature(i, 0)).isEqualTo(t.feature(i, 0));
      assertThat(w.feature(i, 3)).isEqualTo(t.agent("net").probability(i, 1));
    }
    assertThat(w.agents()).isEqualTo(t.agents());
    assertThat(w.labels()).containsExactly(t.labels());
  }

  /**
   * With x pure noise, a rejector that also reads the model's probabilities can apply the Bayes
   * rule (keep iff p ≥ 0.75, see {@link #table}); one that reads x alone can only pick one agent
   * for every row. Expected test costs: Bayes ≈ E[min(1 − p, 0.25, 0.3)] = 0.1875 (p ~ U[0.5, 1]: 1
   * − p averaged over p ≥ 0.75 is 0.125, else 0.25); the best constant agent costs 0.25. We require
   * the probability-feature rejector below 0.21 and below the x-only one by 0.02.
   */
  @Test
  void probabilityFeaturesLetTheRejectorUseTheModelConfidence() {
    DeferralTable train = table(3000, new SplittableRandom(4));
    DeferralTable test = table(3000, new SplittableRandom(5));
    DeferralTrainer plain =
        new DeferralTrainer(
            Surrogates.complementaryCost(1),
            DeferralTrainer.mlp(List.of(8), Activation.TANH, 0),
            LBFGS.withEpochs(200),
            false);
    DeferralModel withProb =
        plain.withModelProbabilities().fit(TASK, train, null, TrainingListener.NONE);
    DeferralModel without = plain.fit(TASK, train, null, TrainingListener.NONE);
    assertThat(withProb.featureNames()).containsExactly("x0", "x1", "net.p.a", "net.p.b");
    // The fitted model appends the probabilities itself to a table that lacks them.
    double costWith = DeferralTrainer.evaluate(withProb, test).meanCost();
    double costWithout = DeferralTrainer.evaluate(without, test).meanCost();
    assertThat(costWith).isLessThan(0.21);
    assertThat(costWith).isLessThan(costWithout - 0.02);
    assertThat(costWithout).isCloseTo(0.25, within(0.03));
  }
}
