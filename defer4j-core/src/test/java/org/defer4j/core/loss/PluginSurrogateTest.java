package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The generic plug-in cost regression (in the spirit of Narasimhan et al. 2022, not their
 * estimator).
 */
class PluginSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.plugin();
  }

  @Override
  public double maxCost() {
    return 2.5;
  }

  @Override
  public int maxExperts() {
    return 4;
  }

  /** Hand computation: ½[(0.5 + 1)² + (−1 + 0.25)²] = ½(2.25 + 0.5625) = 1.40625. */
  @Test
  void isHalfTheSquaredErrorOfNegatedCosts() {
    double[] g = new double[3];
    double loss =
        subject().evaluate(new double[] {0.5, -1.0, 9.0}, Target.ofCosts(1.0, 0.25, Double.NaN), g);
    assertThat(loss).isCloseTo(1.40625, within(1e-15));
    assertThat(g).containsExactly(1.5, -0.75, 0.0);
  }

  /**
   * The conditional-risk minimiser is s_j = −E[c_j | x] (mean of a squared loss), so routing by
   * argmax picks argmin_j E[c_j | x]: the two-stage Bayes rule (seed paper Lemma 4.2), for costs
   * above 1 as well.
   */
  @Test
  void minimiserRoutesToTheCheapestAgentInExpectation() {
    TwoStageConsistency.check(
        subject(), 3, TwoStageConsistency.uniform(2.0), 501, 15, 0.05, null, null);
    TwoStageConsistency.check(
        subject(), 4, TwoStageConsistency.uniform(1.0), 502, 15, 0.05, null, null);
  }

  /** Closed form: with outcome probabilities (0.25, 0.75) the minimiser is −(mean cost). */
  @Test
  void minimiserIsTheNegatedExpectedCost() {
    java.util.List<ConditionalRisk.Weighted> dist =
        java.util.List.of(
            new ConditionalRisk.Weighted(Target.ofCosts(1.0, 0.0, 2.0), 0.25),
            new ConditionalRisk.Weighted(Target.ofCosts(0.0, 1.0, 0.4), 0.75));
    double[] x = ConditionalRisk.minimise(subject(), new double[3], dist, 3000, null);
    assertThat(x[0]).isCloseTo(-0.25, within(1e-6));
    assertThat(x[1]).isCloseTo(-0.75, within(1e-6));
    assertThat(x[2]).isCloseTo(-(0.5 + 0.3), within(1e-6));
  }
}
