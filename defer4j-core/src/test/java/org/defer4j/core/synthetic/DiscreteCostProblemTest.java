package org.defer4j.core.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.junit.jupiter.api.Test;

/** The synthetic routing problem's laws: Bayes rule by hand and empirical means of samples. */
class DiscreteCostProblemTest {
  /**
   * Cell 0: E[c] = (0.5, 0.1 + 0.2, 0.9 + 0.2) = (0.5, 0.3, 1.1) → expert 1. Cell 1: (0.2, 0.8 +
   * 0.2, 0.4 + 0.2) → model. Bayes risk (0.3 + 0.2)/2 = 0.25; always the model: (0.5 + 0.2)/2.
   */
  @Test
  void bayesRuleByHand() {
    DiscreteCostProblem p =
        new DiscreteCostProblem(
            new double[][] {{0.5, 0.1, 0.9}, {0.2, 0.8, 0.4}}, new double[] {0, 0.2, 0.2});
    assertThat(p.bayesDecision(0)).isEqualTo(1);
    assertThat(p.bayesDecision(1)).isEqualTo(0);
    assertThat(p.bayesRisk()).isCloseTo(0.25, within(1e-15));
    assertThat(p.risk(new int[] {0, 0})).isCloseTo(0.35, within(1e-15));
  }

  /**
   * 40,000 draws: per-cell mean costs from the cost model match E[c_j | x] within 0.03 (about 5
   * standard errors of a Bernoulli mean over ~10,000 rows per cell).
   */
  @Test
  void samplesHaveTheStatedExpectedCosts() {
    DiscreteCostProblem p = DiscreteCostProblem.random(4, 2, 0.1, new SplittableRandom(3));
    DeferralTable t = p.sample(40_000, new SplittableRandom(4));
    CostMatrix c = new CostModel(p.task()).costs(t);
    double[][] sum = new double[4][3];
    int[] count = new int[4];
    for (int i = 0; i < t.rows(); i++) {
      int cell = Integer.parseInt(t.id(i));
      count[cell]++;
      for (int j = 0; j < 3; j++) {
        sum[cell][j] += c.cost(i, j);
      }
    }
    for (int cell = 0; cell < 4; cell++) {
      for (int j = 0; j < 3; j++) {
        assertThat(sum[cell][j] / count[cell]).isCloseTo(p.expectedCost(cell, j), within(0.03));
      }
    }
    DeferralTable cells = p.cellTable();
    assertThat(cells.rows()).isEqualTo(4);
    assertThat(cells.feature(2, 2)).isEqualTo(1.0);
  }
}
