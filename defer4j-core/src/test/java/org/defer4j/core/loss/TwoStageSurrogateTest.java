package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Mao et al. 2023 two-stage score-based (eq. 10) and predictor–rejector (eq. 11) surrogates. */
class TwoStageSurrogateTest {

  @Nested
  class ScoreBased implements SurrogateContract {
    @Override
    public Surrogate subject() {
      return Surrogates.twoStageScoreBased();
    }

    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.all(c);
    }

    /**
     * The minimiser (with the model's confidence score s̄_0 = 1.3 held fixed, as in eq. 9) routes
     * to argmin_j E[c_j]; costs U[0, 1].
     */
    @Test
    void minimiserRoutesToTheCheapestAgentInExpectation() {
      double[] start = {1.3, 0, 0, 0};
      boolean[] frozen = {true, false, false, false};
      TwoStageConsistency.check(
          subject(), 4, TwoStageConsistency.uniform(1.0), 401, 15, 0.05, start, frozen);
    }
  }

  @Nested
  class PredictorRejector implements SurrogateContract {
    @Override
    public Surrogate subject() {
      return Surrogates.twoStagePredictorRejector();
    }

    @Test
    void minimiserRoutesToTheCheapestAgentInExpectation() {
      TwoStageConsistency.check(
          subject(), 4, TwoStageConsistency.uniform(1.0), 402, 15, 0.05, null, null);
    }

    /** Eq. 11 is eq. 10 on s̄ = (0, −r_1, …, −r_J) (hand identity, value and chain rule). */
    @Test
    void isTheScoreBasedLossOnNegatedRejectors() {
      for (Case c : cases()) {
        double[] bar = new double[c.experts() + 1];
        for (int j = 1; j <= c.experts(); j++) {
          bar[j] = -c.scores()[j - 1];
        }
        double[] g = new double[c.scores().length];
        double[] gbar = new double[bar.length];
        double v = subject().evaluate(c.scores(), c.target(), g);
        double vbar = Surrogates.twoStageScoreBased().evaluate(bar, c.target(), gbar);
        assertThat(v).isCloseTo(vbar, within(1e-12));
        for (int j = 1; j <= c.experts(); j++) {
          assertThat(g[j - 1]).isCloseTo(-gbar[j], within(1e-12));
        }
      }
    }
  }
}
