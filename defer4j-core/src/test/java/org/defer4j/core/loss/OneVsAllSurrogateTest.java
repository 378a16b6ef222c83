package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.math.StableMath;
import org.junit.jupiter.api.Test;

class OneVsAllSurrogateTest implements SurrogateContract {
  @Override
  public Surrogate subject() {
    return Surrogates.oneVsAll();
  }

  /**
   * Calibration (Verma and Nalisnick 2022): every score is its own binary logistic problem, so at
   * the conditional-risk minimiser σ(s_k) = η_k and σ(s_⊥j) = a_j = P(m_j = y), the distribution's
   * own values; the estimates stay in (0, 1) even at scores of ±1e3. Also Bayes-consistent.
   */
  @Test
  void minimiserIsCalibratedAndBounded() {
    OneVsAllSurrogate ova = Surrogates.oneVsAll();
    SplittableRandom rnd = new SplittableRandom(31);
    double[] eta = ConditionalRisk.simplex(rnd, 3);
    double[][] acc = ConditionalRisk.accuracies(rnd, 2, 3);
    List<ConditionalRisk.Weighted> dist = ConditionalRisk.oneStage(eta, acc, 0.0, 1.0);
    double[] x = ConditionalRisk.minimise(ova, new double[5], dist, 5000, null);
    for (int k = 0; k < 3; k++) {
      assertThat(StableMath.sigmoid(x[k])).isCloseTo(eta[k], within(1e-6));
    }
    double[] a = ova.expertCorrectness(x, 3, 2);
    for (int j = 0; j < 2; j++) {
      assertThat(a[j]).isCloseTo(ConditionalRisk.accuracy(eta, acc[j]), within(1e-6));
    }
    assertThat(ova.expertCorrectness(new double[] {-1e3, -1e3, 1e3}, 2, 1)[0]).isBetween(0.0, 1.0);
    Consistency.checkOneStage(ova, 2, 0.0, 1.0, 32, 20, 0.05);
  }
}
