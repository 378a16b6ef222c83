package org.defer4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.defer4j.core.math.StableMath;
import org.junit.jupiter.api.Test;

/** The one softmax cross-entropy of labels: hand values, gradient, extremes, and its identity. */
class LabelCrossEntropyTest {

  /** Hand value: logits (0, ln 3) give p = (1/4, 3/4); label 1 → ℓ = −ln(3/4), ∇ = (1/4, −1/4). */
  @Test
  void handValue() {
    double[] g = new double[2];
    double l = LabelCrossEntropy.evaluate(new double[] {0, Math.log(3)}, 1, g);
    assertThat(l).isCloseTo(-Math.log(0.75), within(1e-15));
    assertThat(g[0]).isCloseTo(0.25, within(1e-15));
    assertThat(g[1]).isCloseTo(-0.25, within(1e-15));
  }

  /**
   * Bit for bit the value log-sum-exp(s) − s_y and the gradient softmax(s) − e_y computed by {@link
   * StableMath} (the formula the triage trainer used before it called this function).
   */
  @Test
  void equalsStableMathBitForBit() {
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      int k = 2 + r.nextInt(6);
      double[] s = new double[k];
      for (int c = 0; c < k; c++) {
        s[c] = 20 * (r.nextDouble() - 0.5);
      }
      int y = r.nextInt(k);
      double[] g = new double[k];
      double l = LabelCrossEntropy.evaluate(s, y, g);
      double[] p = new double[k];
      StableMath.softmax(s, p);
      assertThat(l).isEqualTo(StableMath.logSumExp(s) - s[y]);
      for (int c = 0; c < k; c++) {
        assertThat(g[c]).isEqualTo(p[c] - (c == y ? 1 : 0));
      }
    }
  }

  /** Central differences (h = 1e-6, error O(h²)); the gradient sums to 0. */
  @Test
  void gradientMatchesCentralDifferencesAndSumsToZero() {
    SplittableRandom r = new SplittableRandom(7);
    for (int trial = 0; trial < 50; trial++) {
      int k = 2 + r.nextInt(4);
      double[] s = new double[k];
      for (int c = 0; c < k; c++) {
        s[c] = 4 * (r.nextDouble() - 0.5);
      }
      int y = r.nextInt(k);
      double[] g = new double[k];
      LabelCrossEntropy.evaluate(s, y, g);
      double sum = 0;
      double[] tmp = new double[k];
      for (int c = 0; c < k; c++) {
        double keep = s[c];
        s[c] = keep + 1e-6;
        double up = LabelCrossEntropy.evaluate(s, y, tmp);
        s[c] = keep - 1e-6;
        double down = LabelCrossEntropy.evaluate(s, y, tmp);
        s[c] = keep;
        assertThat(g[c]).isCloseTo((up - down) / 2e-6, within(1e-7));
        sum += g[c];
      }
      assertThat(sum).isCloseTo(0.0, within(1e-15));
    }
  }

  /** Finite at ±1e3: (1e3, −1e3), label 1 → ℓ = 2e3, ∇ = (1, −1) exactly. */
  @Test
  void finiteAtExtremeScores() {
    double[] g = new double[2];
    assertThat(LabelCrossEntropy.evaluate(new double[] {1e3, -1e3}, 1, g)).isEqualTo(2e3);
    assertThat(g).containsExactly(1.0, -1.0);
    assertThat(LabelCrossEntropy.evaluate(new double[] {1e3, -1e3}, 0, g)).isEqualTo(0.0);
  }

  /** The slice form reads and writes only its range and leaves its input unchanged. */
  @Test
  void sliceFormTouchesOnlyItsRange() {
    double[] scores = {9, 0, Math.log(3), 9};
    double[] grad = {7, 7, 7, 7};
    double l = LabelCrossEntropy.evaluate(scores, 1, 2, 1, grad, 2);
    assertThat(l).isCloseTo(-Math.log(0.75), within(1e-15));
    assertThat(grad[0]).isEqualTo(7);
    assertThat(grad[1]).isEqualTo(7);
    assertThat(grad[2]).isCloseTo(0.25, within(1e-15));
    assertThat(grad[3]).isCloseTo(-0.25, within(1e-15));
    assertThat(scores).containsExactly(9, 0, Math.log(3), 9);
  }

  @Test
  void rejectsBadLabelsAndRanges() {
    assertThatThrownBy(() -> LabelCrossEntropy.evaluate(new double[2], 2, new double[2]))
        .hasMessageContaining("label");
    assertThatThrownBy(() -> LabelCrossEntropy.evaluate(new double[3], 2, 2, 0, new double[3], 0))
        .hasMessageContaining("outside");
  }
}
