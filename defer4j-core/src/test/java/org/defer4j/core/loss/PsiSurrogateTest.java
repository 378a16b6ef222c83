package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

    /**
     * The unboundedness condition is Σ_j (1 − c_j) &gt; 1, not "two experts right": K = 2, J = 2,
     * scores (−t, −t, 0, 0), label 0. Both experts right (c = 0, 0): L = 0, −4.3136, −19.3069,
     * −699.3069 at t = 0, 5, 20, 700; fractional costs c = (0.4, 0.4), no expert perfect: L =
     * −139.3069 at t = 700. One expert right (Σ (1 − c) = 1) stays ≥ 0 along the same ray. MAE
     * stays ≥ 0 at c = (0.4, 0.4). Tolerance 1e-4 on the hand values.
     */
    @Test
    void unboundedBelowWheneverTheComplementaryCostsSumAboveOne() {
      Target bothRight = Target.ofCosts(0, new double[] {Double.NaN, 0.0, 0.0});
      Target fractional = Target.ofCosts(0, new double[] {Double.NaN, 0.4, 0.4});
      Target oneRight = Target.ofCosts(0, new double[] {Double.NaN, 0.0, 1.0});
      double[] t = {0, 5, 20, 700};
      double[] expected = {0.0, -4.3136, -19.3069, -699.3069};
      for (int i = 0; i < t.length; i++) {
        double[] s = {-t[i], -t[i], 0, 0};
        assertThat(subject().value(s, bothRight)).isCloseTo(expected[i], within(1e-4));
        assertThat(subject().value(s, oneRight)).isGreaterThanOrEqualTo(0.0);
        assertThat(Surrogates.psi(Psi.MAE).value(s, fractional)).isGreaterThanOrEqualTo(0.0);
      }
      assertThat(subject().value(new double[] {-700, -700, 0, 0}, fractional))
          .isCloseTo(-139.3069, within(1e-4));
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

    /**
     * Bounded links with q ∈ (0, 1) are <em>not</em> Bayes-consistent either: a deterministic
     * expert g = 0, K = 2, η = (0.55, 0.45). The risk 0.55 Ψ(p_0 + p_⊥) + 0.45 Ψ(p_1) is flat in
     * the split of p_0 + p_⊥; descent from zero keeps p_0 = p_⊥ = u/2 with u/(1 − u) = (0.55 /
     * 0.45)^{1/(1−q)} (hand derivation): u = 0.59901 for q = 0.5 and 0.66126 for q = 0.7, so p_1 =
     * 0.40099 and 0.33874 exceed p_0 = 0.29950 and 0.33063 and class 1 wins (target 0.55 against
     * Bayes 0.45). Tolerance 1e-5.
     */
    @Test
    void deterministicExpertBreaksTheBoundedLinksBelowMae() {
      List<ConditionalRisk.Weighted> dist =
          ConditionalRisk.oneStage(new double[] {0.55, 0.45}, new double[][] {{1, 0}}, 0, 1);
      double[][] cases = {{0.5, 0.59901}, {0.7, 0.66126}};
      for (double[] c : cases) {
        Surrogate q = Surrogates.psi(new Psi(c[0]));
        double[] x = ConditionalRisk.minimise(q, new double[3], dist, 20000, null);
        double[] p = new double[3];
        org.defer4j.core.math.StableMath.softmax(x, p);
        assertThat(p[0] + p[2]).as(q.name()).isCloseTo(c[1], within(1e-5));
        assertThat(p[0]).as(q.name()).isCloseTo(p[2], within(1e-9));
        assertThat(q.route(x, 2, 1)).isZero();
        assertThat(ConditionalRisk.argmax(x, 0, 2)).as(q.name()).isEqualTo(1);
      }
    }
  }
}
