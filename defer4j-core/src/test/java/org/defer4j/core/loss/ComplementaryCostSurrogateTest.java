package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The complementary-cost comp-sum family (survey eq. 16) for ν = 0, 0.5, 1, 2. */
class ComplementaryCostSurrogateTest {

  abstract static class Contract implements SurrogateContract {
    abstract double nu();

    @Override
    public Surrogate subject() {
      return Surrogates.complementaryCost(nu());
    }

    @Override
    public double maxCost() {
      return 1.5;
    }

    @Override
    public int maxExperts() {
      return 4;
    }

    @Override
    public boolean finiteAtExtremes() {
      return nu() >= 1;
    }

    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.all(c);
    }

    /**
     * Seed paper Lemma 4.3: the minimiser of the conditional risk ranks first the agent with the
     * least expected cost, for any ν ≥ 0 and any bounded costs (here U[0, 1.5], 2 to 4 agents).
     */
    @Test
    void minimiserRoutesToTheCheapestAgentInExpectation() {
      TwoStageConsistency.check(
          subject(),
          3,
          TwoStageConsistency.uniform(1.5),
          110 + (long) (10 * nu()),
          15,
          0.05,
          null,
          null);
      TwoStageConsistency.check(
          subject(),
          4,
          TwoStageConsistency.uniform(1.5),
          210 + (long) (10 * nu()),
          15,
          0.05,
          null,
          null);
    }
  }

  @Nested
  class SumExponential extends Contract {
    @Override
    double nu() {
      return 0;
    }

    /** ν = 0 is Σ_j τ_j Σ_{k≠j} e^{s_k − s_j} (hand expansion of (1 − p_j^{−1}) / (−1)). */
    @Test
    void isTheSumExponentialLoss() {
      double[] s = {0.4, -1.0, 2.0};
      double[] c = {1.0, 0.2, 0.7};
      double expected = 0;
      for (int j = 0; j < 3; j++) {
        double tau = 0;
        double sum = 0;
        for (int k = 0; k < 3; k++) {
          if (k != j) {
            tau += c[k];
            sum += Math.exp(s[k] - s[j]);
          }
        }
        expected += tau * sum;
      }
      assertThat(subject().value(s, Target.ofCosts(c))).isCloseTo(expected, within(1e-12));
    }
  }

  @Nested
  class Half extends Contract {
    @Override
    double nu() {
      return 0.5;
    }
  }

  @Nested
  class Logistic extends Contract {
    @Override
    double nu() {
      return 1;
    }
  }

  @Nested
  class Mae extends Contract {
    @Override
    double nu() {
      return 2;
    }
  }
}
