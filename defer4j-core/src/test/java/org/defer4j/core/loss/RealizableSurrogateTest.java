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

  /**
   * The deterministic-expert counterexample (cost 1[g ≠ y], g = 0; K = 2, η = (0.6, 0.4)): the
   * conditional risk 0.6 · (−log(p_0 + p_⊥)) + 0.4 · (−log p_1) is flat along the split of 0.6
   * between p_0 and p_⊥, minimum 0.67301 (hand value −0.6 log 0.6 − 0.4 log 0.4 = 0.673012), and
   * gradient descent from zero scores keeps s_0 = s_⊥, ending at p = (0.3, 0.4, 0.3): class 1 wins
   * the argmax, target risk 0.6 against the Bayes 0.4. The same holds for psi:log (the same loss
   * for J = 1) and, K = 3, η = (0.5, 0.3, 0.2), g = 0: p = (0.25, 0.3, 0.2, 0.25), class 1.
   * Tolerances: 1e-9 on the flat values, 1e-6 on the descent's end point.
   */
  @Test
  void deterministicExpertLeavesAFlatMinimiserSetWithWrongPoints() {
    List<ConditionalRisk.Weighted> dist =
        ConditionalRisk.oneStage(new double[] {0.6, 0.4}, new double[][] {{1, 0}}, 0, 1);
    double floor = -0.6 * Math.log(0.6) - 0.4 * Math.log(0.4);
    assertThat(floor).isCloseTo(0.67301, within(1e-5));
    double[] g = new double[3];
    for (double t : new double[] {0.05, 0.2, 0.3, 0.55}) {
      double[] s = {Math.log(t), Math.log(0.4), Math.log(0.6 - t)};
      assertThat(ConditionalRisk.value(subject(), s, dist, g)).isCloseTo(floor, within(1e-9));
    }
    for (Surrogate loss : List.of(subject(), Surrogates.psi(Psi.LOG))) {
      double[] x = ConditionalRisk.minimise(loss, new double[3], dist, 5000, null);
      double[] p = new double[3];
      StableMath.softmax(x, p);
      assertThat(p[0]).as(loss.name()).isCloseTo(0.3, within(1e-6));
      assertThat(p[1]).as(loss.name()).isCloseTo(0.4, within(1e-6));
      assertThat(p[2]).as(loss.name()).isCloseTo(0.3, within(1e-6));
      assertThat(loss.route(x, 2, 1)).isZero();
      assertThat(ConditionalRisk.argmax(x, 0, 2)).as(loss.name()).isEqualTo(1);
    }
    List<ConditionalRisk.Weighted> three =
        ConditionalRisk.oneStage(new double[] {0.5, 0.3, 0.2}, new double[][] {{1, 0, 0}}, 0, 1);
    double[] x = ConditionalRisk.minimise(subject(), new double[4], three, 5000, null);
    double[] p = new double[4];
    StableMath.softmax(x, p);
    assertThat(p).containsExactly(new double[] {0.25, 0.3, 0.2, 0.25}, within(1e-6));
    assertThat(subject().route(x, 3, 1)).isZero();
    assertThat(ConditionalRisk.argmax(x, 0, 3)).isEqualTo(1);
    // psi:mae puts no mass on class 1 at its minimiser: it predicts 0 or defers (both Bayes).
    double[] mae =
        ConditionalRisk.minimise(Surrogates.psi(Psi.MAE), new double[3], dist, 5000, null);
    int route = Surrogates.psi(Psi.MAE).route(mae, 2, 1);
    assertThat(route == 1 || ConditionalRisk.argmax(mae, 0, 2) == 0).isTrue();
  }

  /**
   * defer4j's multi-expert extension with two deterministic experts that agree (both answer 0; K =
   * 2, η = (0.6, 0.4)): descent from zero splits 0.6 evenly over class 0 and the two experts, p =
   * (0.2, 0.4, 0.2, 0.2), and predicts class 1 (to 1e-6).
   */
  @Test
  void agreeingExpertsBreakTheMultiExpertExtension() {
    List<ConditionalRisk.Weighted> dist =
        ConditionalRisk.oneStage(new double[] {0.6, 0.4}, new double[][] {{1, 0}, {1, 0}}, 0, 1);
    double[] x = ConditionalRisk.minimise(subject(), new double[4], dist, 5000, null);
    double[] p = new double[4];
    StableMath.softmax(x, p);
    assertThat(p).containsExactly(new double[] {0.2, 0.4, 0.2, 0.2}, within(1e-6));
    assertThat(subject().route(x, 2, 2)).isZero();
    assertThat(ConditionalRisk.argmax(x, 0, 2)).isEqualTo(1);
  }

  /**
   * Soft correctness is the expectation over independent 0-1 draws: for one expert −e log(p_y +
   * p_⊥) − (1 − e) log p_y (= psi:log with c = 1 − e), for two the four-term mixture; value and
   * gradient to 1e-12.
   */
  @Test
  void softCorrectnessIsTheExpectationOverZeroOneDraws() {
    double[] s1 = {0.3, -1.2, 0.8};
    Target soft = Target.classification(1, 0.3);
    double expected =
        0.3 * subject().value(s1, Target.classification(1, 1.0))
            + 0.7 * subject().value(s1, Target.classification(1, 0.0));
    assertThat(subject().value(s1, soft)).isCloseTo(expected, within(1e-12));
    assertThat(subject().value(s1, soft))
        .isCloseTo(Surrogates.psi(Psi.LOG).value(s1, soft), within(1e-12));

    double[] s2 = {0.3, -1.2, 0.8, -0.4};
    double e1 = 0.25;
    double e2 = 0.6;
    double[] g = new double[4];
    double v = subject().evaluate(s2, Target.classification(0, e1, e2), g);
    double mix = 0;
    double[] gMix = new double[4];
    double[] gi = new double[4];
    double[][] draws = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    for (double[] d : draws) {
      double w = (d[0] == 1 ? e1 : 1 - e1) * (d[1] == 1 ? e2 : 1 - e2);
      mix += w * subject().evaluate(s2, Target.classification(0, d[0], d[1]), gi);
      for (int i = 0; i < 4; i++) {
        gMix[i] += w * gi[i];
      }
    }
    assertThat(v).isCloseTo(mix, within(1e-12));
    assertThat(g).containsExactly(gMix, within(1e-12));
  }

  @Test
  void refusesTooManySoftExpertsOnOneRow() {
    int j = RealizableSurrogate.MAX_SOFT_EXPERTS + 1;
    double[] e = new double[j];
    java.util.Arrays.fill(e, 0.5);
    double[] scores = new double[2 + j];
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> subject().value(scores, Target.classification(0, e)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("soft expert correctness")
        .hasMessageContaining("psi:mae");
    java.util.Arrays.fill(e, 1.0);
    assertThat(subject().value(scores, Target.classification(0, e))).isFinite();
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
