package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.defer4j.core.loss.Cases.Case;
import org.defer4j.core.math.StableMath;
import org.junit.jupiter.api.Test;

class MixtureOfExpertsSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.mixtureOfExperts();
  }

  @Override
  public double maxCost() {
    return 1.5;
  }

  @Override
  public int[][] zeroSumBlocks(Case c) {
    return Blocks.range(0, c.classes());
  }

  /**
   * Madras et al. 2018: the loss is the gate-weighted average of the classifier's cross-entropy and
   * the experts' costs, π = softmax(0, s_⊥); so it lies between the smallest and largest of those
   * option losses, and with one expert π_1 = σ(s_⊥) as in the authors' baseline (hand expansion).
   */
  @Test
  void isTheGateWeightedAverageOfTheOptionLosses() {
    for (Case c : cases()) {
      Target t = c.target();
      double[] s = c.scores();
      double ce = StableMath.logSumExp(s, 0, c.classes()) - s[t.label()];
      double lo = ce;
      double hi = ce;
      for (int j = 1; j <= c.experts(); j++) {
        double cost = t.cost(j);
        if (!Double.isNaN(cost)) {
          lo = Math.min(lo, cost);
          hi = Math.max(hi, cost);
        }
      }
      double v = subject().value(s, t);
      assertThat(v).isBetween(lo - 1e-12, hi + 1e-12);
      if (c.experts() == 1 && !Double.isNaN(t.cost(1))) {
        double gate = StableMath.sigmoid(s[c.classes()]);
        assertThat(v).isCloseTo((1 - gate) * ce + gate * t.cost(1), within(1e-12));
      }
    }
  }
}
