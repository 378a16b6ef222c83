package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ECE, MCE and reliability data on a hand-computed case, bin edges, and a calibrated sample.
 *
 * <p>Equivalent mutants (PIT, docs/quality.md), reviewed and accepted. {@link Calibration#bin}
 * guesses a bin from p·B and then walks down while p ≤ its lower edge and up while p exceeds its
 * upper edge, so any guess in [0, B − 1] ends in the right bin; mutants that only change the guess
 * change the number of steps, never the result:
 *
 * <ul>
 *   <li>Calibration:137, {@code p * bins} → {@code p / bins} (guess 0, walk up) and {@code − 1} →
 *       {@code + 1} (guess one or two too high, walk down);
 *   <li>Calibration:138, {@code bins − 1} → {@code bins + 1}: p ≤ 1 gives p·B ≤ B, so the guess is
 *       at most B − 1 anyway;
 *   <li>Calibration:143, {@code b < bins − 1} → {@code b <= bins − 1} and → {@code b < bins + 1}:
 *       at b = B − 1 the next test is p > edge(B) = 1, false for every probability.
 * </ul>
 */
class CalibrationTest {

  @Test
  void handComputedEceAndMce() {
    // 10 bins, (lo, hi]: 0 -> bin 0; 0.05 -> 0; 0.1 (= 1/10, the edge) -> 0; 0.12 -> 1;
    // 0.9 (= 9/10) -> 8; 1.0 -> 9.
    // bin 0: conf (0 + 0.05 + 0.1)/3 = 0.05, acc 1/3, gap 0.283333…
    // bin 1: conf 0.12, acc 0, gap 0.12; bin 8: 0.9 vs 1, gap 0.1; bin 9: 1 vs 1, gap 0.
    // ECE = 3/6·0.283333 + 1/6·0.12 + 1/6·0.1 = 0.178333…; MCE = 0.283333…
    double[] p = {0, 0.05, 0.1, 0.12, 0.9, 1.0};
    int[] y = {0, 0, 1, 0, 1, 1};
    Calibration.Reliability r = Calibration.reliability(p, y, 10);
    double gap0 = 1.0 / 3 - 0.05;
    assertThat(r.ece()).isCloseTo(0.5 * gap0 + 0.12 / 6 + 0.1 / 6, within(1e-12));
    assertThat(r.mce()).isCloseTo(gap0, within(1e-12));
    assertThat(r.n()).isEqualTo(6);
    assertThat(r.bins()).hasSize(10);
    Calibration.Bin b0 = r.bins().get(0);
    assertThat(b0.lo()).isEqualTo(0.0);
    assertThat(b0.hi()).isEqualTo(0.1);
    assertThat(b0.count()).isEqualTo(3);
    assertThat(b0.meanConfidence()).isCloseTo(0.05, within(1e-12));
    assertThat(b0.accuracy()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(r.bins().get(8).count()).isEqualTo(1);
    assertThat(r.bins().get(5).count()).isZero();
    assertThat(r.bins().get(5).accuracy()).isNaN();
    assertThat(Calibration.expectedCalibrationError(p, y, 10)).isEqualTo(r.ece());
    assertThat(Calibration.maximumCalibrationError(p, y, 10)).isEqualTo(r.mce());
  }

  @Test
  void binEdgesAreRightClosed() {
    // The edge 3/10 closes bin 2; the next double above it, whose product with 10 rounds to
    // 3.0000000000000004, opens bin 3.
    assertThat(Calibration.bin(0.3, 10)).isEqualTo(2);
    assertThat(Calibration.bin(Math.nextUp(0.3), 10)).isEqualTo(3);
    assertThat(Calibration.bin(0.0, 20)).isZero();
    assertThat(Calibration.bin(Double.MIN_VALUE, 20)).isZero();
    assertThat(Calibration.bin(0.05, 20)).isZero();
    assertThat(Calibration.bin(1.0, 20)).isEqualTo(19);
    for (int b = 1; b <= 20; b++) {
      assertThat(Calibration.bin(b / 20.0, 20)).isEqualTo(b - 1);
    }
  }

  @Test
  void calibratedSampleHasSmallEce() {
    // Outcomes drawn as Bernoulli(p): each of the 20 bins holds ~10,000 rows, so |acc − conf| is
    // ~ sqrt(p(1−p)/10^4) ≤ 0.005 per bin; 0.01 leaves room.
    SplittableRandom rng = new SplittableRandom(7);
    int n = 200_000;
    double[] p = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = rng.nextDouble();
      y[i] = rng.nextDouble() < p[i] ? 1 : 0;
    }
    assertThat(Calibration.expectedCalibrationError(p, y)).isLessThan(0.01);
    // Reporting 0.9 for everything on a coin flip: ECE = MCE = 0.4 up to sampling noise.
    double[] q = new double[n];
    java.util.Arrays.fill(q, 0.9);
    int[] coin = new int[n];
    for (int i = 0; i < n; i++) {
      coin[i] = rng.nextBoolean() ? 1 : 0;
    }
    assertThat(Calibration.expectedCalibrationError(q, coin)).isCloseTo(0.4, within(0.01));
    assertThat(Calibration.maximumCalibrationError(q, coin)).isCloseTo(0.4, within(0.01));
  }

  @Test
  void edgeCasesAndErrors() {
    Calibration.Reliability r = Calibration.reliability(new double[0], new int[0], 20);
    assertThat(r.ece()).isNaN();
    assertThat(r.mce()).isNaN();
    assertThat(r.bins()).hasSize(20).allMatch(b -> b.count() == 0);
    assertThatThrownBy(
            () -> Calibration.expectedCalibrationError(new double[] {Double.NaN}, new int[] {1}))
        .hasMessageContaining("probability 0");
    assertThatThrownBy(
            () -> Calibration.expectedCalibrationError(new double[] {1.2}, new int[] {1}))
        .hasMessageContaining("[0, 1]");
    assertThatThrownBy(
            () -> Calibration.expectedCalibrationError(new double[] {0.2}, new int[] {2}))
        .hasMessageContaining("outcome 0 must be 0 or 1");
    assertThatThrownBy(
            () -> Calibration.expectedCalibrationError(new double[] {0.2}, new int[] {1, 0}))
        .hasMessageContaining("outcomes has length 2, expected 1");
    assertThatThrownBy(() -> Calibration.reliability(new double[] {0.2}, new int[] {1}, 0))
        .hasMessageContaining("bins must be > 0");
  }

  @Test
  void theEdgesDecideWhereTheProductIsRoundedAcrossThem() {
    // 0.28 is the double nearest 7/25, the edge between bins 6 and 7, but 0.28·25 rounds up to
    // 7.000000000000001: the first guess (bin 7) is one too high and the edge sends p down to 6.
    assertThat(0.28 * 25).isGreaterThan(7.0);
    assertThat(Calibration.bin(0.28, 25)).isEqualTo(6);
    // The double just above 1/3 lies in bin 1 of 3, but its product with 3 rounds down to 1.0: the
    // first guess (bin 0) is one too low and the edge sends p up to 1.
    double p = Math.nextUp(1.0 / 3);
    assertThat(p * 3).isEqualTo(1.0);
    assertThat(Calibration.bin(p, 3)).isEqualTo(1);
    assertThat(Calibration.bin(1.0 / 3, 3)).isZero();
  }
}
