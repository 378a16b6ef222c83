package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Test;

class LabelSmoothingFreeSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.labelSmoothingFree();
  }

  @Override
  public double maxCost() {
    return 1.6;
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.all(c);
  }

  /**
   * The property the loss exists for (Liu et al. 2024): consistency with a non-zero consultation
   * fee, expert cost = fee + errorCost · 1[wrong], which exceeds 1 when the expert errs. The global
   * minimiser defers iff the expected cost is below 1 − max η (survey eq. 3). Costs {0.1, 1.1} and
   * {0.3, 1.1}, one and two experts.
   */
  @Test
  void minimiserFollowsTheBayesRuleWithFees() {
    Consistency.checkOneStage(subject(), 1, 0.1, 1.0, 71, 20, 0.05);
    Consistency.checkOneStage(subject(), 1, 0.15, 0.95, 72, 30, 0.05);
    Consistency.checkOneStage(subject(), 2, 0.1, 1.0, 73, 20, 0.05);
  }

  /** For one expert with cost c ≤ 1 the loss is L_CE with e = 1 − c (hand reduction: M = 1). */
  @Test
  void equalsCrossEntropyWhenCostsStayBelowOne() {
    for (Case c : cases()) {
      if (c.experts() != 1 || !(c.target().cost(1) <= 1)) {
        continue;
      }
      Target asCorrectness = Target.classification(c.target().label(), 1 - c.target().cost(1));
      assertThat(subject().value(c.scores(), c.target()))
          .isCloseTo(Surrogates.crossEntropy().value(c.scores(), asCorrectness), within(1e-12));
    }
  }

  /**
   * No uniform label smoothing: with one expert that erred under a fee (cost 1.3), the fee's weight
   * 0.3 lands on the model's own top class only; the other wrong classes get exactly the plain
   * cross-entropy gradient p_k (hand derivative), where the cost-sensitive reduction would add a
   * 0.3 pull on every class.
   */
  @Test
  void feeMassGoesToTheModelsPredictionOnly() {
    double[] s = {0.2, 1.5, -0.4, 0.3};
    double[] g = new double[4];
    subject().evaluate(s, Target.ofCosts(0, Double.NaN, 1.3), g);
    double lse = org.defer4j.core.math.StableMath.logSumExp(s);
    double total = 1.0 + 0.3;
    assertThat(g[2]).isCloseTo(total * Math.exp(s[2] - lse), within(1e-12));
    assertThat(g[1]).isCloseTo(total * Math.exp(s[1] - lse) - 0.3, within(1e-12));
  }

  /**
   * A spurious stationary point (javadoc): K = 3, η = (0.4, 0.1, 0.5), per-class expert accuracy
   * (0.2, 1, 0.5), fee 0.3, so E[M − 1] = 0.3 · P(expert wrong) = 0.3 · 0.57 = 0.171. From zero
   * scores descent reaches the Bayes decision (predict class 2, risk 0.5; deferring costs 0.87).
   * The class-0 piece is a weighted cross-entropy with weights (η_0 + E[M − 1], η_1, η_2, E[M − c])
   * = (0.571, 0.1, 0.5, 0.301) (hand values), so at scores log of those weights its gradient
   * vanishes (norm below 1e-9) with class 0 on top by log(0.571 / 0.5) = 0.133: a local minimum (no
   * random step of length 0.01 lowers the risk) that predicts class 0 (risk 0.6), with a
   * conditional risk above the global one.
   */
  @Test
  void aWrongTopClassCanBeAStationaryPoint() {
    double[] eta = {0.4, 0.1, 0.5};
    double[][] acc = {{0.2, 1.0, 0.5}};
    java.util.List<ConditionalRisk.Weighted> dist = ConditionalRisk.oneStage(eta, acc, 0.3, 1.0);
    double[] g = new double[4];
    double[] good = ConditionalRisk.minimise(subject(), new double[4], dist, 5000, null);
    assertThat(subject().route(good, 3, 1)).isZero();
    assertThat(ConditionalRisk.argmax(good, 0, 3)).isEqualTo(2);
    double[] bad = {Math.log(0.571), Math.log(0.1), Math.log(0.5), Math.log(0.301)};
    double risk = ConditionalRisk.value(subject(), bad, dist, g);
    double norm = 0;
    for (double v : g) {
      norm += v * v;
    }
    assertThat(Math.sqrt(norm)).isLessThan(1e-9);
    assertThat(ConditionalRisk.argmax(bad, 0, 3)).isZero();
    assertThat(subject().route(bad, 3, 1)).isZero();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    for (int i = 0; i < 200; i++) {
      double[] step = new double[4];
      double len = 0;
      for (int k = 0; k < 4; k++) {
        step[k] = rnd.nextDouble() - 0.5;
        len += step[k] * step[k];
      }
      double[] moved = bad.clone();
      for (int k = 0; k < 4; k++) {
        moved[k] += 0.01 * step[k] / Math.sqrt(len);
      }
      assertThat(ConditionalRisk.value(subject(), moved, dist, new double[4]))
          .isGreaterThanOrEqualTo(risk);
    }
    assertThat(risk).isGreaterThan(ConditionalRisk.value(subject(), good, dist, g));
  }
}
