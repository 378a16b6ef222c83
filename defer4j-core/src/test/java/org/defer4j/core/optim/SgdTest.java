package org.defer4j.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SgdTest {

  @Test
  void heavyBallStepsMatchHandComputation() {
    Sgd sgd = new Sgd(SgdOptions.momentum(0.1), 1);
    double[] p = {1};
    sgd.step(p, new double[] {0.5});
    // u₁ = g₁ = 0.5 → θ = 1 − 0.1·0.5 = 0.95.
    assertThat(p[0]).isCloseTo(0.95, within(1e-15));
    sgd.step(p, new double[] {0.25});
    // u₂ = 0.9·0.5 + 0.25 = 0.7 → θ = 0.95 − 0.07 = 0.88.
    assertThat(p[0]).isCloseTo(0.88, within(1e-15));
  }

  @Test
  void nesterovStepsMatchHandComputation() {
    Sgd sgd = new Sgd(new SgdOptions(0.1, 0.9, true, 0), 1);
    double[] p = {1};
    sgd.step(p, new double[] {0.5});
    // u₁ = 0.5, d = g + μu = 0.5 + 0.45 = 0.95 → θ = 1 − 0.095 = 0.905.
    assertThat(p[0]).isCloseTo(0.905, within(1e-15));
    sgd.step(p, new double[] {0.25});
    // u₂ = 0.45 + 0.25 = 0.7, d = 0.25 + 0.63 = 0.88 → θ = 0.905 − 0.088 = 0.817.
    assertThat(p[0]).isCloseTo(0.817, within(1e-15));
  }

  @Test
  void plainStepWithWeightDecay() {
    Sgd sgd = new Sgd(new SgdOptions(0.1, 0, false, 0.5), 2);
    double[] p = {2, -1};
    sgd.step(p, new double[] {1, 0});
    // g + λθ = (1 + 1, 0 − 0.5) → θ = (2 − 0.2, −1 + 0.05).
    assertThat(p[0]).isCloseTo(1.8, within(1e-15));
    assertThat(p[1]).isCloseTo(-0.95, within(1e-15));
  }

  @Test
  void momentumConvergesOnAQuadratic() {
    // f(x) = ½ Σ a_i (x_i − c_i)² with curvatures up to 10: heavy ball with η = 0.05, μ = 0.5
    // contracts every coordinate (η·a ≤ 0.5 < 2(1 + μ)), so the iterate reaches c.
    double[] a = {1, 4, 10};
    double[] c = {1, -2, 3};
    double[] x = {0, 0, 0};
    double[] g = new double[3];
    for (boolean nesterov : new boolean[] {false, true}) {
      x = new double[3];
      Sgd sgd = new Sgd(new SgdOptions(0.05, 0.5, nesterov, 0), 3);
      for (int t = 0; t < 1000; t++) {
        AdamTest.quadratic(a, c, x, g);
        sgd.step(x, g);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(x[i]).isCloseTo(c[i], within(1e-10));
      }
    }
  }

  @Test
  void nonFiniteGradientAndBadOptionsAreRejected() {
    Sgd sgd = new Sgd(SgdOptions.plain(0.1), 1);
    double[] p = {1};
    assertThatThrownBy(() -> sgd.step(p, new double[] {Double.POSITIVE_INFINITY}))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("SGD step 1: gradient[0] is Infinity");
    assertThat(p).containsExactly(1);
    assertThatThrownBy(() -> new SgdOptions(0.1, 0, true, 0))
        .hasMessageContaining("Nesterov momentum needs momentum > 0");
    assertThatThrownBy(() -> new SgdOptions(0.1, 1.0, false, 0))
        .hasMessageContaining("momentum must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> SgdOptions.plain(0)).hasMessageContaining("learning rate");
  }
}
