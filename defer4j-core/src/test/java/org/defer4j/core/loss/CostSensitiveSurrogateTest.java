package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CostSensitiveSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.costSensitive();
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.all(c);
  }

  /** With Ψ = −log and c = 1 − e, eq. 4 is exactly L_CE (survey §3.4). */
  @Test
  void equalsCrossEntropyForZeroOneCosts() {
    for (Case c : cases()) {
      Target t = c.target();
      double[] costs = new double[t.agents()];
      for (int j = 0; j < costs.length; j++) {
        costs[j] = 1.0 - t.correct()[j];
      }
      Target asCosts = new Target(t.label(), null, costs, Double.NaN);
      assertThat(subject().value(c.scores(), asCosts))
          .isCloseTo(Surrogates.crossEntropy().value(c.scores(), t), within(1e-12));
    }
  }

  /**
   * Consistency for general costs in [0, 1] (Charusaie et al. 2022; Mao et al. 2024): the minimiser
   * routes to the agent of least expected cost; here each expert costs 0.2 + 0.8 · 1[wrong], for
   * the logistic and the MAE link.
   */
  @Test
  void minimiserFollowsTheBayesRuleForGeneralCosts() {
    Consistency.checkOneStage(Surrogates.costSensitive(), 2, 0.2, 0.8, 21, 20, 0.05);
    Consistency.checkOneStage(Surrogates.costSensitive(Psi.MAE), 1, 0.2, 0.8, 22, 20, 0.05);
  }

  @Test
  void rejectsCostsAboveOne() {
    assertThatThrownBy(
            () -> subject().value(new double[] {0, 1, 2}, Target.ofCosts(0, Double.NaN, 1.2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.2");
  }

  @Nested
  class Mae implements SurrogateContract {
    @Override
    public Surrogate subject() {
      return Surrogates.costSensitive(Psi.MAE);
    }

    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.all(c);
    }
  }
}
