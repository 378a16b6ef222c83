package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Test;

class AsymmetricSoftmaxSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.asymmetricSoftmax();
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.all(c);
  }

  /**
   * Cao et al. 2023: ψ_⊥ is a valid probability for any scores (bounded in (0, 1)), its minimiser
   * is P(m = y | x) (the distribution's own value), and comparing ψ_⊥ with max_k ψ_k is the same
   * decision as the argmax of the raw scores. The minimiser of the conditional risk follows the
   * Bayes rule.
   */
  @Test
  void boundedCalibratedAndConsistent() {
    AsymmetricSoftmaxSurrogate asym = Surrogates.asymmetricSoftmax();
    SplittableRandom rnd = new SplittableRandom(41);
    for (Case c : cases()) {
      if (c.experts() == 0) {
        continue;
      }
      double[] psi = asym.expertCorrectness(c.scores(), c.classes(), c.experts());
      double lse = org.defer4j.core.math.StableMath.logSumExp(c.scores(), 0, c.classes());
      double maxClass =
          Math.exp(ConditionalRisk.max(java.util.Arrays.copyOf(c.scores(), c.classes())) - lse);
      int byPsi = 0;
      double best = maxClass;
      for (int j = 0; j < psi.length; j++) {
        assertThat(psi[j]).isStrictlyBetween(0.0, 1.0);
        if (psi[j] > best) {
          best = psi[j];
          byPsi = j + 1;
        }
      }
      assertThat(asym.route(c.scores(), c.classes(), c.experts())).isEqualTo(byPsi);
    }
    double[] eta = ConditionalRisk.simplex(rnd, 3);
    double[][] acc = ConditionalRisk.accuracies(rnd, 1, 3);
    List<ConditionalRisk.Weighted> dist = ConditionalRisk.oneStage(eta, acc, 0.0, 1.0);
    double[] x = ConditionalRisk.minimise(asym, new double[4], dist, 5000, null);
    assertThat(asym.expertCorrectness(x, 3, 1)[0])
        .isCloseTo(ConditionalRisk.accuracy(eta, acc[0]), within(1e-6));
    Consistency.checkOneStage(asym, 1, 0.0, 1.0, 42, 20, 0.05);
    Consistency.checkOneStage(asym, 2, 0.0, 1.0, 43, 20, 0.05);
  }
}
