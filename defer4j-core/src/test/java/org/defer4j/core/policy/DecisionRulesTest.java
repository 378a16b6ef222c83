package org.defer4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The decision rules on hand-made score vectors (A = 3: the model and two experts). */
class DecisionRulesTest {
  private static final boolean T = true;
  private static final boolean F = false;

  private static int argmax(double[] s, boolean... available) {
    return DecisionRules.argmax().choose(s, 0, available, 0, s.length);
  }

  private static int threshold(double theta, double[] s, boolean... available) {
    return DecisionRules.threshold(theta).choose(s, 0, available, 0, s.length);
  }

  private static double margin(double[] s, boolean... available) {
    return DecisionRules.margin(s, 0, available, 0, s.length);
  }

  @Test
  void argmaxTakesTheBestAvailableAgentAndTiesGoToTheLowestIndex() {
    assertThat(argmax(new double[] {0.1, 0.9, 0.5}, T, T, T)).isEqualTo(1);
    // Ties: the lowest index wins, so the model wins a tie with an expert.
    assertThat(argmax(new double[] {1, 2, 2}, T, T, T)).isEqualTo(1);
    assertThat(argmax(new double[] {2, 2, 2}, T, T, T)).isZero();
    assertThat(argmax(new double[] {2, 2, 2}, F, T, T)).isEqualTo(1);
    // Unavailable agents are skipped however high their score.
    assertThat(argmax(new double[] {0.1, 0.9, 0.5}, T, F, T)).isEqualTo(2);
    assertThat(argmax(new double[] {0.1, 0.9, 0.5}, T, F, F)).isZero();
    // Negative and infinite scores are ordinary scores.
    assertThat(argmax(new double[] {-5, Double.NEGATIVE_INFINITY, -7}, F, T, T)).isEqualTo(2);
    // No agent available: −1 (the policy turns it into an error naming the row).
    assertThat(argmax(new double[] {0.1, 0.9, 0.5}, F, F, F)).isEqualTo(-1);
  }

  @Test
  void rulesReadTheirCaseAtTheGivenOffsets() {
    // Two cases; the second's scores start at 3 and its flags at 3.
    double[] scores = {9, 0, 0, 0.2, 0.1, 0.6};
    boolean[] mask = {T, T, T, T, T, F};
    assertThat(DecisionRules.argmax().choose(scores, 3, mask, 3, 3)).isZero();
    assertThat(DecisionRules.argmax().choose(scores, 0, mask, 0, 3)).isZero();
    assertThat(DecisionRules.threshold(-1).choose(scores, 3, mask, 3, 3)).isEqualTo(1);
    // Margin of case 2: best available expert 0.1 − model 0.2 = −0.1.
    assertThat(DecisionRules.margin(scores, 3, mask, 3, 3)).isCloseTo(-0.1, within(1e-15));
  }

  @Test
  void thresholdDefersIffTheMarginExceedsTheta() {
    // Model 0.5, experts 0.9 and 0.7: margin = 0.9 − 0.5 = 0.4 (to expert 1).
    double[] s = {0.5, 0.9, 0.7};
    assertThat(threshold(0.3, s, T, T, T)).isEqualTo(1);
    assertThat(threshold(0.5, s, T, T, T)).isZero();
    // Strictly greater: a margin equal to θ keeps the model.
    assertThat(threshold(0.4, new double[] {0.5, 0.9, 0.7}, T, T, T)).isZero();
    assertThat(threshold(0.25, new double[] {0.5, 0.75, 0.7}, T, T, T)).isZero();
    // With expert 1 unavailable the margin is 0.7 − 0.5 = 0.2, to expert 2.
    assertThat(threshold(0.1, s, T, F, T)).isEqualTo(2);
    assertThat(threshold(0.3, s, T, F, T)).isZero();
    // A negative θ defers even when the model scores higher.
    assertThat(threshold(-1, new double[] {0.5, 0, -0.2}, T, T, T)).isEqualTo(1);
  }

  @Test
  void thresholdWithoutTheModelOrWithoutExperts() {
    double[] s = {0.5, 0.2, 0.1};
    // Model unavailable: the best available expert, whatever θ.
    assertThat(threshold(10, s, F, T, T)).isEqualTo(1);
    assertThat(threshold(Double.POSITIVE_INFINITY, s, F, F, T)).isEqualTo(2);
    // No expert available: the model, whatever θ.
    assertThat(threshold(-Double.MAX_VALUE, s, T, F, F)).isZero();
    assertThat(threshold(Double.NEGATIVE_INFINITY, s, T, F, F)).isZero();
    // Nobody available: −1.
    assertThat(threshold(0, s, F, F, F)).isEqualTo(-1);
  }

  /** θ = 0 is the argmax rule between the model and the experts, on every availability mask. */
  @Test
  void thresholdZeroIsArgmax() {
    SplittableRandom rng = new SplittableRandom(17);
    DecisionRule zero = DecisionRules.threshold(0);
    for (int t = 0; t < 2000; t++) {
      double[] s = new double[4];
      boolean[] m = new boolean[4];
      for (int j = 0; j < 4; j++) {
        // Scores on a coarse grid so that ties occur.
        s[j] = rng.nextInt(5) - 2;
        m[j] = rng.nextBoolean();
      }
      assertThat(zero.choose(s, 0, m, 0, 4))
          .as("scores %s", Arrays.toString(s))
          .isEqualTo(DecisionRules.argmax().choose(s, 0, m, 0, 4));
    }
  }

  @Test
  void marginIsTheBestAvailableExpertMinusTheModel() {
    double[] s = {0.5, 0.9, 0.7};
    assertThat(margin(s, T, T, T)).isCloseTo(0.4, within(1e-15));
    assertThat(margin(s, T, F, T)).isCloseTo(0.2, within(1e-15));
    // No expert available: −∞ (no threshold defers); model unavailable: +∞ (every one does).
    assertThat(margin(s, T, F, F)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(margin(s, F, T, F)).isEqualTo(Double.POSITIVE_INFINITY);
    // Nobody available: no expert, so −∞.
    assertThat(margin(s, F, F, F)).isEqualTo(Double.NEGATIVE_INFINITY);
    // The threshold rule defers iff margin > θ, at both infinities too.
    assertThat(threshold(1e300, s, F, T, F)).isEqualTo(1);
    assertThat(threshold(-1e300, s, T, F, F)).isZero();
  }

  @Test
  void specsRoundTripThroughParse() {
    assertThat(DecisionRules.argmax().spec()).isEqualTo("argmax");
    assertThat(DecisionRules.parse("argmax")).isSameAs(DecisionRules.argmax());
    assertThat(DecisionRules.parse(" ArgMax ")).isSameAs(DecisionRules.argmax());
    assertThat(DecisionRules.threshold(0.25).spec()).isEqualTo("threshold:0.25");
    for (double theta :
        new double[] {
          0.25,
          0,
          -0.0,
          -3.5,
          1e-9,
          -Double.MAX_VALUE,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY
        }) {
      DecisionRule r = DecisionRules.threshold(theta);
      DecisionRule back = DecisionRules.parse(r.spec());
      assertThat(back.spec()).as("θ = %s", theta).isEqualTo(r.spec());
      assertThat(back).isEqualTo(r);
    }
    assertThat(DecisionRules.parse("THRESHOLD:0.5")).isEqualTo(DecisionRules.threshold(0.5));
  }

  @Test
  void badSpellingsAreRefusedWithTheAcceptedForms() {
    assertThatThrownBy(() -> DecisionRules.parse("best"))
        .hasMessageContaining("unknown decision rule 'best'")
        .hasMessageContaining(
            "argmax, threshold:THETA, calibrated:THETA;TARGET, calibrated-confidence:THETA;TARGET or dgnp:KIND");
    assertThatThrownBy(() -> DecisionRules.parse("threshold:lots"))
        .hasMessageContaining("θ is not a number");
    assertThatThrownBy(() -> DecisionRules.parse("threshold:"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionRules.threshold(Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> DecisionRules.parse("threshold:NaN"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
