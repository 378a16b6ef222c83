package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Ψ-family of Mao et al. (survey eqs. 6 and 8), for the MAE, log, inverse and q links. */
class PsiSurrogateTest {

  abstract static class Contract implements SurrogateContract {
    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.all(c);
    }
  }

  @Nested
  class Mae extends Contract {
    @Override
    public Surrogate subject() {
      return Surrogates.psi(Psi.MAE);
    }

    /**
     * Bayes-consistency of eq. 6 (J = 1) and eq. 8 (J = 2, experts rarely both right) with the
     * bounded MAE link (Mao et al. 2024, 2025).
     */
    @Test
    void minimiserFollowsTheBayesRule() {
      Consistency.checkOneStage(subject(), 1, 0.0, 1.0, 61, 20, 0.05);
      Consistency.checkOneStage(subject(), 2, 0.0, 1.0, 62, 20, 0.05);
    }

    /**
     * With the MAE link the loss stays bounded below even when two experts are right and the first
     * weight Σc + 1 − J is negative: L ≥ (1 − #right) · 1 ≥ −(J − 1) (hand bound, since 0 ≤ 1 − u ≤
     * 1).
     */
    @Test
    void boundedBelowWhenSeveralExpertsAreRight() {
      Target twoRight = Target.classification(0, 1.0, 1.0);
      SplittableRandom rnd = new SplittableRandom(63);
      for (int i = 0; i < 200; i++) {
        double[] s = new double[5];
        for (int k = 0; k < s.length; k++) {
          s[k] = 50 * (2 * rnd.nextDouble() - 1);
        }
        assertThat(subject().value(s, twoRight)).isGreaterThanOrEqualTo(-1.0);
      }
    }
  }

  @Nested
  class Log extends Contract {
    @Override
    public Surrogate subject() {
      return Surrogates.psi(Psi.LOG);
    }

    /**
     * The documented hazard of eq. 8 with Ψ = −log: on a row where two experts are right the first
     * weight is −1, and along p_y → 0, p_⊥1 → 1 the loss falls without bound (it equals log p_y −
     * log(p_y + p_⊥2) + …, hand expansion). The golden vectors show negative values too.
     */
    @Test
    void unboundedBelowWhenTwoExpertsAreRight() {
      Target twoRight = Target.classification(0, 1.0, 1.0);
      List<Double> values = new ArrayList<>();
      for (double t : new double[] {1, 10, 100}) {
        values.add(subject().value(new double[] {-t, -2 * t, -2 * t, t, t}, twoRight));
      }
      assertThat(values.get(1)).isLessThan(values.get(0));
      assertThat(values.get(2)).isLessThan(-100);
    }
  }

  @Nested
  class Inverse extends Contract {
    @Override
    public Surrogate subject() {
      return Surrogates.psi(Psi.INVERSE);
    }

    @Override
    public boolean finiteAtExtremes() {
      return false;
    }
  }

  @Nested
  class GeneralQ extends Contract {
    @Override
    public Surrogate subject() {
      return Surrogates.psi(new Psi(0.5));
    }

    @Test
    void minimiserFollowsTheBayesRuleForOneExpert() {
      Consistency.checkOneStage(subject(), 1, 0.0, 1.0, 65, 20, 0.05);
    }
  }
}
