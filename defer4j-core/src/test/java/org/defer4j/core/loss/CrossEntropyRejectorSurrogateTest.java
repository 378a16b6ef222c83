package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.defer4j.core.loss.Cases.Case;
import org.defer4j.core.math.StableMath;
import org.junit.jupiter.api.Test;

class CrossEntropyRejectorSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.crossEntropyRejector();
  }

  @Override
  public double maxCost() {
    return 2.0;
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.range(0, c.classes());
  }

  /**
   * Step (1) of the javadoc's derivation: the class gradient is the K-class cross-entropy's alone
   * (the pair term depends on the class scores only through ŷ), exactly, on every contract case.
   */
  @Test
  void classScoresAreTrainedByCrossEntropyAlone() {
    for (Case c : cases()) {
      double[] g = new double[c.scores().length];
      subject().evaluate(c.scores(), c.target(), g);
      double[] p = new double[c.classes()];
      double[] cls = java.util.Arrays.copyOf(c.scores(), c.classes());
      StableMath.softmax(cls, p);
      for (int k = 0; k < c.classes(); k++) {
        double expected = p[k] - (k == c.target().label() ? 1 : 0);
        assertThat(g[k]).isCloseTo(expected, within(1e-12));
      }
    }
  }

  /**
   * Bayes-consistency (steps (1)–(3)): at the global minimiser of the conditional risk the route
   * and the predicted class are the Bayes decision, on random K = 3 cells with class-dependent
   * expert accuracy (ConditionalRisk draws one accuracy per expert and class), for one and three
   * experts, without and with a fee (costs up to 1.2), decision margins at least 0.05.
   */
  @Test
  void minimiserFollowsTheBayesRuleWithClassDependentExperts() {
    Consistency.checkOneStage(subject(), 1, 0.0, 1.0, 91, 15, 0.05);
    Consistency.checkOneStage(subject(), 3, 0.0, 1.0, 92, 10, 0.05);
    Consistency.checkOneStage(subject(), 3, 0.2, 1.0, 93, 10, 0.05);
  }

  /**
   * The cell on which the removed {@code dce} reconstruction failed: η = (0.335, 0.205, 0.46),
   * expert right 40.7% whatever the class. Bayes predicts class 2 (risk 0.540 &lt; 0.593). dce's
   * joint minimum put class 1 on top and deferred (expected loss 1.3596 against 1.3870 at the
   * posterior). This loss's minimiser from zero scores has softmax(s) = η (to 1e-5), predicts class
   * 2, and its deferral logit is log((1 − 0.46) / 0.593) &lt; 0 (to 1e-4). Forcing class 1 on top
   * costs more, as step (2) says: its best value with class 1 ahead is above the minimum.
   */
  @Test
  void fixesTheDependentCrossEntropyCounterexample() {
    double[] eta = {0.335, 0.205, 0.46};
    double a = 0.407;
    List<ConditionalRisk.Weighted> dist =
        ConditionalRisk.oneStage(eta, new double[][] {{a, a, a}}, 0.0, 1.0);
    double[] x = ConditionalRisk.minimise(subject(), new double[4], dist, 5000, null);
    double[] p = new double[3];
    StableMath.softmax(java.util.Arrays.copyOf(x, 3), p);
    for (int k = 0; k < 3; k++) {
      assertThat(p[k]).isCloseTo(eta[k], within(1e-5));
    }
    assertThat(x[3]).isCloseTo(Math.log((1 - 0.46) / (1 - a)), within(1e-4));
    assertThat(subject().route(x, 3, 1)).isZero();
    assertThat(ConditionalRisk.argmax(x, 0, 3)).isEqualTo(2);
    double[] g = new double[4];
    double best = ConditionalRisk.value(subject(), x, dist, g);
    // Class 1 on top: the CE optimum on that piece is the uniform law (η_1 is the smallest, so all
    // three pool), taken with class 1 just ahead; plus the pair term at its own best d.
    double[] tied = {0.0, 1e-9, 0.0, 0.0};
    double[] forced =
        ConditionalRisk.minimise(
            subject(), tied, dist, 5000, new boolean[] {true, true, true, false});
    assertThat(ConditionalRisk.argmax(forced, 0, 3)).isEqualTo(1);
    assertThat(ConditionalRisk.value(subject(), forced, dist, g)).isGreaterThan(best + 0.01);
  }

  /** The route defers to the best positive deferral logit, and the model keeps ties at 0. */
  @Test
  void routesByTheSignOfTheBestDeferralLogit() {
    assertThat(subject().route(new double[] {5, 0, -0.1, -2}, 2, 2)).isZero();
    assertThat(subject().route(new double[] {5, 0, 0.3, 0.7}, 2, 2)).isEqualTo(2);
    assertThat(subject().route(new double[] {5, 0, 0.0, 0.0}, 2, 2)).isZero();
  }

  @Test
  void takesCostsAboveOne() {
    Target fee = Target.ofCosts(0, new double[] {Double.NaN, 1.3});
    double[] s = {1.0, 0.0, 0.5};
    // Model right (class 0 on top): CE + 1.3 φ(−0.5).
    double ce = StableMath.logSumExp(new double[] {1.0, 0.0}, 0, 2) - 1.0;
    assertThat(subject().value(s, fee))
        .isCloseTo(ce + 1.3 * StableMath.logistic(-0.5), within(1e-12));
  }
}
