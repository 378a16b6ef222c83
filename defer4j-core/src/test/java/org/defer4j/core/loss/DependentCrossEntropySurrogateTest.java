package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Test;

class DependentCrossEntropySurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.dependentCrossEntropy();
  }

  @Override
  public int maxExperts() {
    return 1;
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.all(c);
  }

  /**
   * The dependence principle (Wei et al. 2024): with the classifier at the class posterior (class
   * scores log η, held fixed), the deferral score that minimises the conditional risk satisfies s_⊥
   * &gt; max_k s_k iff P(ŷ wrong, m right) &gt; P(ŷ right, m wrong), i.e. iff a &gt; max η — the
   * dependent (= standard) Bayes rule. Random problems, K = 3, decisions with a 0.05 margin.
   *
   * <p>What is not claimed: this reconstruction's joint minimiser can move the class scores to a
   * tie with a wrong class, where the pairwise term is cheaper (seen on η = (0.36, 0.05, 0.59));
   * see the class javadoc.
   */
  @Test
  void deferralScoreFollowsTheDependentBayesRule() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(81);
    int checked = 0;
    int defers = 0;
    while (checked < 25) {
      double[] eta = ConditionalRisk.simplex(rnd, 3);
      double[][] acc = ConditionalRisk.accuracies(rnd, 1, 3);
      if (ConditionalRisk.bayesMargin(eta, acc, 0, 1) < 0.05
          || ConditionalRisk.topGap(eta) < 0.05) {
        continue;
      }
      double[] start = {Math.log(eta[0]), Math.log(eta[1]), Math.log(eta[2]), 0.0};
      boolean[] frozen = {true, true, true, false};
      double[] x =
          ConditionalRisk.minimise(
              subject(), start, ConditionalRisk.oneStage(eta, acc, 0, 1), 3000, frozen);
      int expected = ConditionalRisk.bayesAgent(eta, acc, 0, 1);
      org.assertj.core.api.Assertions.assertThat(subject().route(x, 3, 1)).isEqualTo(expected);
      defers += expected;
      checked++;
    }
    org.assertj.core.api.Assertions.assertThat(defers).isBetween(1, 24);
  }

  @Test
  void rejectsSeveralExperts() {
    assertThatThrownBy(
            () -> subject().value(new double[] {0, 1, 2, 3}, Target.classification(0, 1.0, 0.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("single expert");
  }
}
