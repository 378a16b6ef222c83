package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CrossEntropySurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.crossEntropy();
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.all(c);
  }

  /**
   * Bayes-consistency (Mozannar and Sontag 2020; Verma et al. 2023): the conditional-risk minimiser
   * is p ∝ (η, a_1..a_J), so it routes by the Bayes rule and p_⊥j / Σ_k p_k recovers a_j. Expected
   * values: the distribution's own η and a_j (hand computation in ConditionalRisk).
   */
  @Test
  void minimiserFollowsTheBayesRuleAndRecoversExpertAccuracy() {
    CrossEntropySurrogate ce = Surrogates.crossEntropy();
    Consistency.checkOneStage(ce, 1, 0.0, 1.0, 11, 25, 0.05);
    Consistency.checkOneStage(ce, 2, 0.0, 1.0, 12, 25, 0.05);
    SplittableRandom rnd = new SplittableRandom(13);
    double[] eta = ConditionalRisk.simplex(rnd, 3);
    double[][] acc = ConditionalRisk.accuracies(rnd, 2, 3);
    List<ConditionalRisk.Weighted> dist = ConditionalRisk.oneStage(eta, acc, 0.0, 1.0);
    double[] x = ConditionalRisk.minimise(ce, new double[5], dist, 5000, null);
    double[] a = ce.expertCorrectness(x, 3, 2);
    for (int j = 0; j < 2; j++) {
      assertThat(a[j]).isCloseTo(ConditionalRisk.accuracy(eta, acc[j]), within(1e-6));
    }
  }

  /**
   * The calibration problem of softmax cross-entropy (Verma and Nalisnick 2022): the estimate p_⊥ /
   * (1 − p_⊥) is not bounded by 1. Scores (0, 0, 2): p_⊥ / Σ p_k = e² / 2 ≈ 3.69 (hand value).
   */
  @Test
  void correctnessEstimateIsUnbounded() {
    double[] a = Surrogates.crossEntropy().expertCorrectness(new double[] {0, 0, 2}, 2, 1);
    assertThat(a[0]).isCloseTo(Math.exp(2) / 2, within(1e-12));
  }

  /** L_CE^α with one expert: α e + (1 − e) on the class term (hand expansion). */
  @Test
  void alphaWeightsTheClassTermWhenTheExpertIsRight() {
    double[] s = {0.3, -1.2, 0.8, 0.1};
    double lse = Math.log(Math.exp(0.3) + Math.exp(-1.2) + Math.exp(0.8) + Math.exp(0.1));
    double right = Surrogates.crossEntropy(0.25).value(s, Target.classification(1, 1.0));
    assertThat(right).isCloseTo(0.25 * (lse + 1.2) + (lse - 0.1), within(1e-12));
    double wrong = Surrogates.crossEntropy(0.25).value(s, Target.classification(1, 0.0));
    assertThat(wrong).isCloseTo(lse + 1.2, within(1e-12));
  }

  @Nested
  class Alpha implements SurrogateContract {
    @Override
    public Surrogate subject() {
      return Surrogates.crossEntropy(0.5);
    }

    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.all(c);
    }
  }
}
