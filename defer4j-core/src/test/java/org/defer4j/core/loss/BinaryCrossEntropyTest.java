package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sigmoid cross-entropy of a binary outcome: hand values, gradient, extremes, masking. */
class BinaryCrossEntropyTest {

  /**
   * Hand values: at s = 0, σ = 1/2, so ℓ = ln 2 for any hard target and ∂ℓ/∂s = 1/2 − e; at s = ln
   * 3, σ = 3/4, so ℓ(s, 1) = −ln(3/4), ℓ(s, 0) = −ln(1/4) = ln 4, and soft e = 1/4 gives −(1/4)
   * ln(3/4) − (3/4) ln(1/4) with gradient 3/4 − 1/4 = 1/2.
   */
  @Test
  void handValues() {
    double[] g = new double[1];
    assertThat(BinaryCrossEntropy.evaluate(0.0, 1.0, g, 0)).isCloseTo(Math.log(2), within(1e-15));
    assertThat(g[0]).isCloseTo(-0.5, within(1e-15));
    assertThat(BinaryCrossEntropy.evaluate(0.0, 0.0, g, 0)).isCloseTo(Math.log(2), within(1e-15));
    assertThat(g[0]).isCloseTo(0.5, within(1e-15));
    double s = Math.log(3);
    assertThat(BinaryCrossEntropy.evaluate(s, 1.0, g, 0)).isCloseTo(-Math.log(0.75), within(1e-15));
    assertThat(g[0]).isCloseTo(-0.25, within(1e-15));
    assertThat(BinaryCrossEntropy.evaluate(s, 0.0, g, 0)).isCloseTo(Math.log(4), within(1e-15));
    assertThat(g[0]).isCloseTo(0.75, within(1e-15));
    assertThat(BinaryCrossEntropy.evaluate(s, 0.25, g, 0))
        .isCloseTo(-0.25 * Math.log(0.75) - 0.75 * Math.log(0.25), within(1e-15));
    assertThat(g[0]).isCloseTo(0.5, within(1e-15));
  }

  /**
   * Central differences, h = 1e-6 (truncation error O(h²) ≈ 1e-12 for |ℓ'''| ≤ 1/10, rounding ≈
   * 1e-16·|ℓ|/h ≈ 1e-9 at |s| ≤ 8): the analytic gradient σ(s) − e agrees to 1e-7 absolute.
   */
  @Test
  void gradientMatchesCentralDifferences() {
    SplittableRandom r = new SplittableRandom(17);
    double h = 1e-6;
    double[] g = new double[1];
    double[] unused = new double[1];
    for (int trial = 0; trial < 500; trial++) {
      double s = 16 * (r.nextDouble() - 0.5);
      double e = trial % 3 == 0 ? r.nextDouble() : r.nextInt(2);
      BinaryCrossEntropy.evaluate(s, e, g, 0);
      double up = BinaryCrossEntropy.evaluate(s + h, e, unused, 0);
      double down = BinaryCrossEntropy.evaluate(s - h, e, unused, 0);
      assertThat(g[0]).as("s=%s e=%s", s, e).isCloseTo((up - down) / (2 * h), within(1e-7));
    }
  }

  /** Finite at scores of ±1e3: a sure wrong prediction costs |s|, a sure right one ~0. */
  @ParameterizedTest
  @ValueSource(doubles = {-1e3, -700, 700, 1e3})
  void finiteAtExtremeScores(double s) {
    double[] g = new double[1];
    for (double e : new double[] {0, 0.5, 1}) {
      double l = BinaryCrossEntropy.evaluate(s, e, g, 0);
      assertThat(l).isFinite().isGreaterThanOrEqualTo(0);
      assertThat(g[0]).isFinite().isBetween(-1.0, 1.0);
    }
    boolean right = s > 0;
    assertThat(BinaryCrossEntropy.evaluate(s, right ? 1 : 0, g, 0)).isCloseTo(0, within(1e-300));
    assertThat(BinaryCrossEntropy.evaluate(s, right ? 0 : 1, g, 0))
        .isCloseTo(Math.abs(s), within(1e-9));
  }

  /** Unobserved is not wrong: a NaN target gives loss 0 and gradient 0, whatever was there. */
  @Test
  void nanTargetIsMaskedOut() {
    double[] g = {123.0, 7.0};
    assertThat(BinaryCrossEntropy.evaluate(2.5, Double.NaN, g, 1)).isZero();
    assertThat(g).containsExactly(123.0, 0.0);
    assertThat(BinaryCrossEntropy.evaluate(new double[] {-1e3}, Double.NaN, g)).isZero();
    assertThat(g[0]).isZero();
  }

  /** The array form reads scores[0] only and leaves the scores alone. */
  @Test
  void arrayFormReadsTheFirstScoreAndKeepsInputs() {
    double[] s = {0.7, 99};
    double[] g = new double[2];
    g[1] = 5;
    double l = BinaryCrossEntropy.evaluate(s, 1.0, g);
    double[] g1 = new double[1];
    assertThat(l).isEqualTo(BinaryCrossEntropy.evaluate(0.7, 1.0, g1, 0));
    assertThat(g).containsExactly(g1[0], 5);
    assertThat(s).containsExactly(0.7, 99);
  }

  @Test
  void rejectsTargetsOutsideTheUnitInterval() {
    double[] g = new double[1];
    assertThatThrownBy(() -> BinaryCrossEntropy.evaluate(0, 1.5, g, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 1]")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> BinaryCrossEntropy.evaluate(0, 1, g, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gradient index 1");
  }
}
