package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.defer4j.core.loss.Cases.Case;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PredictorRejectorSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.predictorRejector();
  }

  @Override
  public int maxExperts() {
    return 1;
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
   * Joint training with an MAE predictor loss is consistent (Mao et al. 2024; survey eq. 5): the
   * minimiser predicts (r &gt; 0) iff E[c] &gt; 1 − max η, for 0-1 costs and for costs 0.1 + 0.8 ·
   * 1[expert wrong].
   */
  @Test
  void minimiserFollowsTheBayesRule() {
    Consistency.checkOneStage(subject(), 1, 0.0, 1.0, 91, 20, 0.05);
    Consistency.checkOneStage(subject(), 1, 0.1, 0.8, 92, 20, 0.05);
  }

  /** Hand value: h = (0, 0), y = 0, r = 0, c = 0.4: (1 − ½) log 2 + 0.4 log 2. */
  @Test
  void handValue() {
    double v = subject().value(new double[] {0, 0, 0}, Target.ofCosts(0, Double.NaN, 0.4));
    assertThat(v).isCloseTo(0.9 * Math.log(2), within(1e-15));
  }

  @Nested
  class Exponential implements SurrogateContract {
    @Override
    public Surrogate subject() {
      return Surrogates.predictorRejector(PredictorRejectorSurrogate.Margin.EXPONENTIAL);
    }

    @Override
    public int maxExperts() {
      return 1;
    }

    @Override
    public double maxCost() {
      return 1.5;
    }

    @Override
    public boolean finiteAtExtremes() {
      return false;
    }

    @Override
    public int[][] zeroSumBlocks(Case c) {
      return Blocks.range(0, c.classes());
    }

    @Test
    void minimiserFollowsTheBayesRule() {
      Consistency.checkOneStage(subject(), 1, 0.0, 1.0, 93, 20, 0.05);
    }
  }
}
