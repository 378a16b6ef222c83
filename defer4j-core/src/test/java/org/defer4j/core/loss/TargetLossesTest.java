package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The survey's target losses on hand-computed cases; each expected value is read off the equation
 * (numbers in the comments) with the argmax ties going to the lowest index.
 */
class TargetLossesTest {
  private static final double NAN = Double.NaN;
  private static final double TOL = 1e-15;

  @Test
  void equationOneScoreBased() {
    // K = 3 classes + ⊥. argmax of (1, 3, 0, 2) is class 1.
    double[] s = {1, 3, 0, 2};
    assertThat(TargetLosses.scoreBased(s, 1, 0.3)).isEqualTo(0.0);
    assertThat(TargetLosses.scoreBased(s, 0, 0.3)).isEqualTo(1.0);
    // argmax of (1, 0, 0, 5) is ⊥: the deferral cost, whatever y.
    assertThat(TargetLosses.scoreBased(new double[] {1, 0, 0, 5}, 2, 0.3)).isEqualTo(0.3);
    // Tie between class 0 and ⊥ goes to class 0.
    assertThat(TargetLosses.scoreBased(new double[] {2, 2, 0, 2}, 0, 0.7)).isEqualTo(0.0);
    // Extreme and infinite scores are fine.
    assertThat(TargetLosses.scoreBased(new double[] {-1e3, 1e3, 0, Double.NEGATIVE_INFINITY}, 1, 1))
        .isEqualTo(0.0);
    assertThat(
            TargetLosses.scoreBased(new double[] {-1e3, 1e3, 0, Double.POSITIVE_INFINITY}, 1, 0.25))
        .isEqualTo(0.25);
  }

  @Test
  void equationOneWithSeveralExperts() {
    // K = 2, J = 2: scores (0, 1, 3, 2) pick entity 2 = expert 1 -> its cost 0.2; expert 2's
    // cost may be NaN (it is not chosen).
    assertThat(TargetLosses.scoreBased(new double[] {0, 1, 3, 2}, 0, new double[] {0.2, NAN}))
        .isEqualTo(0.2);
    assertThat(TargetLosses.scoreBased(new double[] {0, 1, 2, 3}, 0, new double[] {0.2, 0.9}))
        .isEqualTo(0.9);
    assertThatThrownBy(
            () -> TargetLosses.scoreBased(new double[] {0, 1, 2, 3}, 0, new double[] {0.2, NAN}))
        .hasMessageContaining("expert 2")
        .hasMessageContaining("unavailable");
  }

  @Test
  void equationTwoPredictorRejector() {
    // r(x) > 0: the predictor's 0-1 loss; r(x) ≤ 0: the deferral cost.
    assertThat(TargetLosses.predictorRejector(2, 0.5, 2, 0.4)).isEqualTo(0.0);
    assertThat(TargetLosses.predictorRejector(2, 0.5, 1, 0.4)).isEqualTo(1.0);
    assertThat(TargetLosses.predictorRejector(2, 0.0, 2, 0.4)).isEqualTo(0.4);
    assertThat(TargetLosses.predictorRejector(2, -1e3, 1, 0.4)).isEqualTo(0.4);
    assertThatThrownBy(() -> TargetLosses.predictorRejector(0, NAN, 0, 0.4))
        .hasMessageContaining("rejector score is NaN");
  }

  @Test
  void equationThirteenMultiExpert() {
    // r* = argmax (2, 1, 0) = 0: the predictor's loss L(h(x), y) = 0.8.
    assertThat(TargetLosses.multiExpert(0.8, new double[] {2, 1, 0}, new double[] {0.1, 0.6}))
        .isEqualTo(0.8);
    // r* = argmax (0, 1, 3) = 2: c_2 = 0.6.
    assertThat(TargetLosses.multiExpert(0.8, new double[] {0, 1, 3}, new double[] {0.1, 0.6}))
        .isEqualTo(0.6);
    assertThatThrownBy(
            () -> TargetLosses.multiExpert(0.8, new double[] {0, 1}, new double[] {0.1, 0.6}))
        .hasMessageContaining("rejector scores has length 2, expected 3");
  }

  @Test
  void equationFifteenAgentCost() {
    // Σ_j c_j 1[r(x) = j] = c_{r(x)}.
    double[] c = {0.3, 0.1, NAN};
    assertThat(TargetLosses.agentCost(c, 1)).isEqualTo(0.1);
    assertThat(TargetLosses.agentCost(new double[] {5, 7, -2}, c)).isEqualTo(0.1);
    assertThatThrownBy(() -> TargetLosses.agentCost(c, 2)).hasMessageContaining("agent 2");
    assertThatThrownBy(() -> TargetLosses.agentCost(new double[] {1, NAN, 0}, c))
        .hasMessageContaining("is NaN");
  }

  @Test
  void equationSeventeenEntityCosts() {
    // K = 3, J = 2, y = 1; experts predict 1 and 2; α = (1, 1, 1, 2, 1), β = (0, 0, 0, 0.1, 0.3).
    // classes: 1[0≠1] = 1, 1[1≠1] = 0, 1[2≠1] = 1;
    // expert 1 (right): 2·0 + 0.1 = 0.1; expert 2 (wrong): 1·1 + 0.3 = 1.3.
    double[] alpha = {1, 1, 1, 2, 1};
    double[] beta = {0, 0, 0, 0.1, 0.3};
    double[] c = TargetLosses.entityCosts(3, new int[] {1, 2}, 1, alpha, beta);
    assertThat(c).containsExactly(new double[] {1, 0, 1, 0.1, 1.3}, within(TOL));
    assertThat(alpha).containsExactly(1, 1, 1, 2, 1);
    assertThatThrownBy(() -> TargetLosses.entityCosts(3, new int[] {1}, 1, alpha, beta))
        .hasMessageContaining("alpha has length 5, expected 4");
  }

  @Test
  void equationEighteenTopK() {
    // Entity costs from eq. 17 above: (1, 0, 1, 0.1, 1.3). Scores (0.1, 2, −1, 1.5, 0.3) rank
    // the entities 1, 3, 4, 0, 2. k = 1: 0; k = 2: 0 + 0.1; k = 3: + 1.3 = 1.4; k = 5: 3.4.
    double[] c = {1, 0, 1, 0.1, 1.3};
    double[] s = {0.1, 2, -1, 1.5, 0.3};
    assertThat(TargetLosses.topKSet(s, 3)).containsExactly(1, 3, 4);
    assertThat(TargetLosses.topK(s, c, 1)).isCloseTo(0.0, within(TOL));
    assertThat(TargetLosses.topK(s, c, 2)).isCloseTo(0.1, within(TOL));
    assertThat(TargetLosses.topK(s, c, 3)).isCloseTo(1.4, within(TOL));
    assertThat(TargetLosses.topK(s, c, 5)).isCloseTo(3.4, within(1e-12));
    // k = 1 is eq. 1 with cost-sensitive entities: class 1 is right, loss 0 as above.
    assertThat(TargetLosses.topK(s, c, 1))
        .isEqualTo(TargetLosses.scoreBased(s, 1, new double[] {0.1, 1.3}));
    // Ties go to the lower index.
    assertThat(TargetLosses.topKSet(new double[] {1, 2, 2, 1}, 3)).containsExactly(1, 2, 0);
    assertThatThrownBy(() -> TargetLosses.topK(s, c, 0)).hasMessageContaining("k must be in");
    assertThatThrownBy(() -> TargetLosses.topK(s, c, 6)).hasMessageContaining("k must be in");
  }

  @Test
  void inputsAreNotModifiedAndBadCostsAreRejected() {
    double[] s = {1, 3, 0, 2};
    double[] copy = s.clone();
    TargetLosses.scoreBased(s, 1, 0.3);
    TargetLosses.topK(s, new double[] {1, 1, 1, 1}, 2);
    assertThat(s).containsExactly(copy);
    assertThatThrownBy(() -> TargetLosses.scoreBased(new double[] {0, 0, 9}, 0, -0.1))
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> TargetLosses.scoreBased(new double[] {0, NAN, 9}, 0, 0.1))
        .hasMessageContaining("scores[1] is NaN");
    assertThatThrownBy(() -> TargetLosses.scoreBased(new double[] {0, 1, 9}, 2, 0.1))
        .hasMessageContaining("true class 2");
  }
}
