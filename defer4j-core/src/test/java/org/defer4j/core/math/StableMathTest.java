package org.defer4j.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Expected values are hand derivations: at ±1e3 the exact results are known in closed form (log(e^a
 * + e^b) = a + log(1 + e^{b−a}), σ(−1000) = e^{−1000} underflows to 0 but σ(1000) = 1,
 * softplus(1000) = 1000, softplus(−1000) = e^{−1000} ≈ 0), and moderate arguments are compared with
 * the naive formulas, which are accurate there, to 1e-15 relative.
 */
class StableMathTest {
  @Test
  void logSumExpIsShiftedAndExactAtExtremes() {
    assertThat(StableMath.logSumExp(new double[] {1000, 1000})).isEqualTo(1000 + Math.log(2));
    assertThat(StableMath.logSumExp(new double[] {-1000, -1000, -1000}))
        .isCloseTo(-1000 + Math.log(3), within(1e-12));
    assertThat(StableMath.logSumExp(new double[] {1000, -1000})).isEqualTo(1000.0);
    double[] x = {0.3, -1.2, 2.5};
    double naive = Math.log(Math.exp(0.3) + Math.exp(-1.2) + Math.exp(2.5));
    assertThat(StableMath.logSumExp(x)).isCloseTo(naive, within(1e-15 * Math.abs(naive)));
    assertThat(StableMath.logSumExp(x, 1, 3))
        .isCloseTo(Math.log(Math.exp(-1.2) + Math.exp(2.5)), within(1e-15));
    assertThatThrownBy(() -> StableMath.logSumExp(x, 2, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void maskedLogSumExpSkipsInactiveEntries() {
    double[] x = {1e3, 0.5, -1e3};
    assertThat(StableMath.logSumExp(x, new boolean[] {false, true, true}))
        .isCloseTo(0.5, within(1e-15));
    assertThat(StableMath.logSumExp(x, new boolean[] {false, false, false}))
        .isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(StableMath.logSumExp(x, (boolean[]) null)).isEqualTo(1000.0);
  }

  @Test
  void logAddExpAndLogDiffExp() {
    assertThat(StableMath.logAddExp(1000, 1000)).isEqualTo(1000 + Math.log(2));
    assertThat(StableMath.logAddExp(Double.NEGATIVE_INFINITY, -3)).isEqualTo(-3.0);
    assertThat(StableMath.logDiffExp(1000, 1000 - Math.log(2)))
        .isCloseTo(1000 - Math.log(2), within(1e-12));
    assertThat(StableMath.logDiffExp(-1000, Double.NEGATIVE_INFINITY)).isEqualTo(-1000.0);
  }

  @Test
  void softmaxAndLogSoftmaxAtExtremes() {
    double[] p = new double[3];
    StableMath.softmax(new double[] {1000, -1000, 1000}, p);
    // The max shift makes the ratio exact: e^0 / (e^0 + e^−2000 + e^0).
    assertThat(p).containsExactly(0.5, 0.0, 0.5);
    double[] lp = new double[3];
    StableMath.logSoftmax(new double[] {1000, -1000, 1000}, lp);
    assertThat(lp[0]).isEqualTo(-Math.log(2));
    assertThat(lp[1]).isCloseTo(-2000 - Math.log(2), within(1e-9));
    assertThat(lp[1]).isFinite();
  }

  @Test
  void sigmoidIsSignBranched() {
    assertThat(StableMath.sigmoid(1000)).isEqualTo(1.0);
    assertThat(StableMath.sigmoid(-1000)).isEqualTo(0.0);
    assertThat(StableMath.sigmoid(-700)).isCloseTo(Math.exp(-700), within(1e-310));
    assertThat(StableMath.sigmoid(-700)).isPositive();
    assertThat(StableMath.sigmoid(0.7)).isCloseTo(1 / (1 + Math.exp(-0.7)), within(1e-16));
    assertThat(StableMath.sigmoid(-0.7) + StableMath.sigmoid(0.7)).isCloseTo(1.0, within(1e-16));
    assertThat(StableMath.logSigmoid(-1000)).isEqualTo(-1000.0);
    assertThat(StableMath.logSigmoid(1000)).isEqualTo(0.0);
  }

  @Test
  void softplusAndLogisticAreFiniteAtExtremes() {
    assertThat(StableMath.softplus(1000)).isEqualTo(1000.0);
    assertThat(StableMath.softplus(-1000)).isEqualTo(0.0);
    assertThat(StableMath.softplus(-30)).isCloseTo(Math.log1p(Math.exp(-30)), within(1e-28));
    assertThat(StableMath.softplus(0.4)).isCloseTo(Math.log1p(Math.exp(0.4)), within(1e-16));
    assertThat(StableMath.logistic(-1000)).isEqualTo(1000.0);
    assertThat(StableMath.logistic(1000)).isEqualTo(0.0);
    assertThat(StableMath.logistic(0)).isCloseTo(Math.log(2), within(1e-16));
  }

  @Test
  void log1mexpIsAccurateOnBothBranches() {
    // Near 0: log(1 − e^{−1e-10}) = log(1e-10 − 5e-21 + …) ≈ log(1e-10) − 5e-11.
    assertThat(StableMath.log1mexp(-1e-10)).isCloseTo(Math.log(1e-10) - 5e-11, within(1e-15));
    // Far: log(1 − e^{−1000}) = −e^{−1000} ≈ −0.
    assertThat(StableMath.log1mexp(-1000)).isEqualTo(-0.0);
    assertThat(StableMath.log1mexp(-2)).isCloseTo(Math.log(1 - Math.exp(-2)), within(1e-15));
    assertThat(StableMath.log1mexp(0)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThatThrownBy(() -> StableMath.log1mexp(1e-3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void normalQuantilesMatchTheTabulatedValues() {
    // Tabulated standard normal quantiles (Abramowitz & Stegun, Table 26.5), to the 1e-6 that the
    // erfc fit allows.
    assertThat(StableMath.normalQuantile(0.5)).isCloseTo(0.0, within(1e-6));
    assertThat(StableMath.normalQuantile(0.9)).isCloseTo(1.2815516, within(1e-6));
    assertThat(StableMath.normalQuantile(0.95)).isCloseTo(1.6448536, within(1e-6));
    assertThat(StableMath.normalQuantile(0.975)).isCloseTo(1.9599640, within(1e-6));
    assertThat(StableMath.normalQuantile(0.999)).isCloseTo(3.0902323, within(1e-5));
    assertThat(StableMath.normalQuantile(0.025)).isCloseTo(-1.9599640, within(1e-6));
    assertThat(StableMath.normalCdf(1.0)).isCloseTo(0.8413447, within(1e-6));
    assertThatThrownBy(() -> StableMath.normalQuantile(1.0)).hasMessageContaining("(0, 1)");
  }
}
