package org.defer4j.core.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.defer4j.core.data.DeferralTable;
import org.junit.jupiter.api.Test;

class ConsistencyExperimentTest {
  /**
   * Merging identical rows keeps every (cell, label, answer) count as a weight: the weights sum to
   * n and each merged row's weight is the number of raw rows equal to it (counted by hand here).
   */
  @Test
  void aggregateKeepsTheCountsAsWeights() {
    DiscreteDeferralProblem p =
        DiscreteDeferralProblem.random(4, 3, 2, 1.0, 0.3, 0.9, 0.0, new SplittableRandom(5));
    DeferralTable raw = p.sample(3000, new SplittableRandom(6));
    DeferralTable agg = ConsistencyExperiment.aggregate(raw);
    assertThat(agg.rows()).isLessThanOrEqualTo(4 * 3 * 3 * 3);
    double total = 0;
    for (int g = 0; g < agg.rows(); g++) {
      total += agg.weight(g);
      int count = 0;
      for (int i = 0; i < raw.rows(); i++) {
        boolean same =
            raw.label(i) == agg.label(g)
                && java.util.Arrays.equals(raw.featureRow(i), agg.featureRow(g))
                && raw.agent("e1").predictedClass(i) == agg.agent("e1").predictedClass(g)
                && raw.agent("e2").predictedClass(i) == agg.agent("e2").predictedClass(g);
        count += same ? 1 : 0;
      }
      assertThat(agg.weight(g)).isEqualTo(count);
    }
    assertThat(total).isEqualTo(3000.0);
  }
}
