package org.defer4j.core.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.junit.jupiter.api.Test;

/** Discrete problems with a confusion matrix per expert and cell, and deterministic experts. */
class ClassDependentProblemTest {
  private static DiscreteDeferralProblem twoClasses() {
    // One cell, η = (0.7, 0.3); the expert is right 0.9 on class 0 and 0.2 on class 1.
    double[][][][] conf = {{{{0.9, 0.1}, {0.8, 0.2}}}};
    return DiscreteDeferralProblem.withConfusion(
        new double[][] {{0.7, 0.3}}, conf, new double[] {0.05});
  }

  /** a = 0.7 · 0.9 + 0.3 · 0.2 = 0.69, so deferring costs 1 − 0.69 + 0.05 = 0.36 (exact). */
  @Test
  void deferralRiskUsesTheClassDependentAccuracy() {
    DiscreteDeferralProblem p = twoClasses();
    assertThat(p.classDependent()).isTrue();
    assertThat(p.expertAccuracy(0)[0]).isCloseTo(0.69, within(1e-12));
    assertThat(p.conditionalRisk(0, 2)).isCloseTo(0.36, within(1e-12));
    assertThat(p.conditionalRisk(0, 0)).isCloseTo(0.3, within(1e-12));
    assertThat(p.bayesDecision(0)).isZero();
    assertThat(p.confusion(0, 0)[1]).containsExactly(0.8, 0.2);
  }

  /**
   * Sampled answers follow the confusion rows: P(answer 0 | y = 1) = 0.8 and P(answer 0 | y = 0) =
   * 0.9, within 4 binomial standard deviations on 40,000 rows.
   */
  @Test
  void samplesAnswersFromTheConfusionRows() {
    DeferralTable t = twoClasses().sample(40_000, new SplittableRandom(3));
    int[] rows = new int[2];
    int[] zero = new int[2];
    var e = t.agent("e1");
    for (int i = 0; i < t.rows(); i++) {
      int y = t.label(i);
      rows[y]++;
      zero[y] += e.predictedClass(i) == 0 ? 1 : 0;
    }
    double[] expected = {0.9, 0.8};
    for (int y = 0; y < 2; y++) {
      double sd = Math.sqrt(expected[y] * (1 - expected[y]) / rows[y]);
      assertThat((double) zero[y] / rows[y]).isCloseTo(expected[y], within(4 * sd));
    }
    assertThat((double) rows[1] / t.rows()).isCloseTo(0.3, within(4 * Math.sqrt(0.21 / 40_000)));
  }

  /** A deterministic expert always gives its answer; its accuracy in the cell is η_g. */
  @Test
  void deterministicExpertsAlwaysAnswerTheSameClass() {
    DiscreteDeferralProblem p = SyntheticCounterexamples.deterministicExpert();
    assertThat(p.expertAccuracy(0)[0]).isCloseTo(0.6, within(1e-12));
    assertThat(p.expertAccuracy(1)[0]).isCloseTo(0.1, within(1e-12));
    DeferralTable t = p.sample(2_000, new SplittableRandom(4));
    for (int i = 0; i < t.rows(); i++) {
      int cell = Integer.parseInt(t.id(i));
      assertThat(t.agent("e1").predictedClass(i)).isEqualTo(cell == 0 ? 0 : 1);
    }
  }

  /**
   * The random generators: every confusion row sums to 1 with its diagonal in [lo, hi]; the
   * deterministic one-hot. Seeded, so the same seed gives the same problem.
   */
  @Test
  void randomProblemsAreValidAndSeeded() {
    DiscreteDeferralProblem p =
        DiscreteDeferralProblem.randomClassDependent(
            6, 3, 2, 1.0, 0.3, 0.95, 0.1, new SplittableRandom(9));
    for (int c = 0; c < p.cells(); c++) {
      for (int j = 0; j < 2; j++) {
        double[][] m = p.confusion(c, j);
        for (int y = 0; y < 3; y++) {
          assertThat(m[y][0] + m[y][1] + m[y][2]).isCloseTo(1.0, within(1e-12));
          assertThat(m[y][y]).isBetween(0.3, 0.95);
        }
      }
    }
    DiscreteDeferralProblem again =
        DiscreteDeferralProblem.randomClassDependent(
            6, 3, 2, 1.0, 0.3, 0.95, 0.1, new SplittableRandom(9));
    assertThat(again.bayesRisk()).isEqualTo(p.bayesRisk());
    DiscreteDeferralProblem d =
        DiscreteDeferralProblem.randomDeterministic(6, 3, 2, 1.0, 0.0, new SplittableRandom(9));
    for (int c = 0; c < d.cells(); c++) {
      double[][] m = d.confusion(c, 0);
      int g = m[0][0] == 1 ? 0 : m[0][1] == 1 ? 1 : 2;
      for (int y = 0; y < 3; y++) {
        assertThat(m[y][g]).isEqualTo(1.0);
      }
      assertThat(d.expertAccuracy(c)[0]).isCloseTo(d.classLaw(c)[g], within(1e-12));
    }
  }

  @Test
  void rejectsRowsThatAreNotProbabilityVectors() {
    double[][][][] bad = {{{{0.9, 0.2}, {0.8, 0.2}}}};
    assertThatThrownBy(
            () ->
                DiscreteDeferralProblem.withConfusion(
                    new double[][] {{0.7, 0.3}}, bad, new double[] {0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sums to");
    assertThatThrownBy(
            () ->
                DiscreteDeferralProblem.deterministic(
                    new double[][] {{0.7, 0.3}}, new int[][] {{2}}, new double[] {0}))
        .hasMessageContaining("outside");
  }
}
