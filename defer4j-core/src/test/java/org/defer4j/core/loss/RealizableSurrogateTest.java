package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.defer4j.core.loss.Cases.Case;
import org.defer4j.core.math.StableMath;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RealizableSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.realizable();
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.all(c);
  }

  /**
   * Realizability at the level of one loss (Mozannar et al. 2023): when the true class and the
   * expert are both right, scaling the scores (y and ⊥ on top) drives L_RS to 0, while L_CE stays
   * at least 2 log 2 (p_y + p_⊥ ≤ 1 ⇒ −log p_y − log p_⊥ ≥ 2 log 2; hand bound): cross-entropy
   * cannot fit a realizable case exactly, which is why it is not realizable-consistent.
   */
  @Test
  void reachesZeroWhereCrossEntropyCannot() {
    Target both = Target.classification(0, 1.0);
    double[] direction = {1, -1, -1, 1};
    double rs = Double.NaN;
    for (double t : new double[] {1, 10, 100, 1000}) {
      double[] s = direction.clone();
      for (int i = 0; i < s.length; i++) {
        s[i] *= t;
      }
      rs = Surrogates.realizable().value(s, both);
      double ce = Surrogates.crossEntropy().value(s, both);
      assertThat(ce).isGreaterThanOrEqualTo(2 * Math.log(2) - 1e-12);
    }
    assertThat(rs).isLessThan(1e-300);
    // Only the expert is right: mass on ⊥ alone also fits exactly.
    assertThat(
            Surrogates.realizable()
                .value(new double[] {-50, -50, -50, 50}, Target.classification(1, 1.0)))
        .isLessThan(1e-40);
  }

  /**
   * Bayes-consistency does <em>not</em> hold for L_RS under the argmax decision, contrary to the
   * survey's summary of Mao et al. 2024. Counterexample (hand derivation): K = 2, η = (½, ½), the
   * expert right with probability a = 0.6 whatever the class. The Bayes rule defers (0.4 &lt; 0.5).
   * By symmetry the minimiser has p_0 = p_1 = (1 − u)/2 and p_⊥ = u with risk 0.4 · (−log((1 −
   * u)/2)) + 0.6 · (−log((1 + u)/2)), minimised at u = 2a − 1 = 0.2 &lt; 0.4 = p_y: it predicts.
   * The MAE member of the Ψ-family defers on the same problem.
   */
  @Test
  void minimiserPredictsWhereTheBayesRuleDefers() {
    List<ConditionalRisk.Weighted> dist =
        List.of(
            new ConditionalRisk.Weighted(Target.classification(0, 1.0), 0.3),
            new ConditionalRisk.Weighted(Target.classification(0, 0.0), 0.2),
            new ConditionalRisk.Weighted(Target.classification(1, 1.0), 0.3),
            new ConditionalRisk.Weighted(Target.classification(1, 0.0), 0.2));
    double[] x = ConditionalRisk.minimise(Surrogates.realizable(), new double[3], dist, 5000, null);
    double[] p = new double[3];
    StableMath.softmax(x, p);
    assertThat(p[2]).isCloseTo(0.2, within(1e-6));
    assertThat(p[0]).isCloseTo(0.4, within(1e-6));
    assertThat(Surrogates.realizable().route(x, 2, 1)).isZero();
    double[] mae =
        ConditionalRisk.minimise(Surrogates.psi(Psi.MAE), new double[3], dist, 5000, null);
    assertThat(Surrogates.psi(Psi.MAE).route(mae, 2, 1)).isEqualTo(1);
  }

  /** For one expert with 0-1 correctness, L_RS is the Ψ-family with Ψ = −log (eq. 6). */
  @Test
  void equalsThePsiLogFamilyForOneExpert() {
    for (Case c : cases()) {
      if (c.experts() != 1 || Double.isNaN(c.target().correct(1))) {
        continue;
      }
      Target t = Target.classification(c.target().label(), Math.rint(c.target().correct(1)));
      assertThat(subject().value(c.scores(), t))
          .isCloseTo(Surrogates.psi(Psi.LOG).value(c.scores(), t), within(1e-12));
    }
  }

  @Nested
  class Mixed implements SurrogateContract {
    @Override
    public Surrogate subject() {
      return Surrogates.realizable(0.5);
    }

    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.all(c);
    }
  }
}
