package org.defer4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScorerTest {

  @Test
  void linearScoresAreWxPlusB() {
    LinearScorer scorer = Scorers.linear(2, 2, new SplittableRandom(1));
    // W = [[1, 2], [3, 4]], b = [5, 6] in the documented layout (W row-major, then b).
    System.arraycopy(new double[] {1, 2, 3, 4, 5, 6}, 0, scorer.parameters(), 0, 6);
    double[] s = new double[2];
    scorer.forward(new double[] {9, 0.5, -1}, 1, s, scorer.newWorkspace());
    // Hand computation with x = (0.5, −1): 1·0.5 + 2·(−1) + 5 = 3.5; 3·0.5 + 4·(−1) + 6 = 3.5.
    assertThat(s).containsExactly(3.5, 3.5);
    assertThat(scorer.weight(1, 0)).isEqualTo(3);
    assertThat(scorer.bias(1)).isEqualTo(6);
  }

  @Test
  void mlpMatchesHandComputedForwardAndBackward() {
    MlpScorer scorer = Scorers.mlp(2, 1, Activation.RELU, new SplittableRandom(1), 2);
    // Layer 1: W1 = [[1, −1], [2, 1]], b1 = [0, −1]; layer 2: W2 = [[3, −2]], b2 = [0.5].
    double[] theta = {1, -1, 2, 1, 0, -1, 3, -2, 0.5};
    System.arraycopy(theta, 0, scorer.parameters(), 0, theta.length);
    Workspace ws = scorer.newWorkspace();
    double[] s = new double[1];
    scorer.forward(new double[] {1, 2}, 0, s, ws);
    // z1 = (1 − 2 + 0, 2 + 2 − 1) = (−1, 3); a1 = (0, 3); s = 3·0 − 2·3 + 0.5 = −5.5.
    assertThat(s[0]).isEqualTo(-5.5);

    double[] grad = new double[theta.length];
    scorer.backward(new double[] {2}, ws, grad);
    // δ2 = 2: ∂W2 = 2·a1 = (0, 6), ∂b2 = 2; δ1 = W2ᵀ·2 ⊙ relu'(z1) = (6, −4) ⊙ (0, 1) = (0, −4):
    // ∂W1 = δ1 xᵀ = [[0, 0], [−4, −8]], ∂b1 = (0, −4).
    assertThat(grad).containsExactly(0, 0, -4, -8, 0, -4, 0, 6, 2);

    double[] dx = new double[2];
    scorer.inputGradient(new double[] {2}, ws, dx);
    // ∂L/∂x = W1ᵀ δ1 = (1·0 + 2·(−4), −1·0 + 1·(−4)) = (−8, −4).
    assertThat(dx).containsExactly(-8, -4);
  }

  @Test
  void penaltyCoversWeightsButNotBiases() {
    Scorer scorer = ScorerSpec.linear(2, 2).withL2(0.5).create(new SplittableRandom(1));
    System.arraycopy(new double[] {1, 2, 3, 4, 5, 6}, 0, scorer.parameters(), 0, 6);
    double[] grad = {0, 0, 0, 0, 10, 10};
    // (λ/2)‖W‖² = 0.25 · (1 + 4 + 9 + 16) = 7.5; gradient λW added, biases untouched.
    assertThat(scorer.penalty(grad)).isEqualTo(7.5);
    assertThat(grad).containsExactly(0.5, 1, 1.5, 2, 10, 10);
    assertThat(scorer.penalty(null)).isEqualTo(7.5);
  }

  @Test
  void sameSeedGivesIdenticalScorersAndOtherSeedsDiffer() {
    ScorerSpec spec = ScorerSpec.mlp(30, 4, Activation.TANH, 8, 6);
    double[] a = spec.create(new SplittableRandom(123)).parameters();
    double[] b = spec.create(new SplittableRandom(123)).parameters();
    double[] c = spec.create(new SplittableRandom(124)).parameters();
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void initialisationFollowsHeAndGlorotVariances() {
    int d = 1000;
    int h = 200;
    for (Activation act : Activation.values()) {
      Scorer scorer = ScorerSpec.mlp(d, 3, act, h).create(new SplittableRandom(5));
      double[] theta = scorer.parameters();
      double expected = act == Activation.TANH ? Math.sqrt(2.0 / (d + h)) : Math.sqrt(2.0 / d);
      // 200 000 draws: the sample standard deviation is within 1% of the true one with
      // overwhelming probability (its relative standard error is 1/√(2·200 000) ≈ 0.16%).
      assertThat(std(theta, 0, h * d)).isCloseTo(expected, within(0.01 * expected));
      for (int o = 0; o < h; o++) {
        assertThat(theta[h * d + o]).as("bias").isZero();
      }
    }
  }

  @Test
  void stateRoundTripReproducesScoresExactly() {
    SplittableRandom rng = new SplittableRandom(3);
    for (ScorerSpec spec :
        new ScorerSpec[] {
          ScorerSpec.linear(12, 5).withL2(1e-3), ScorerSpec.mlp(12, 5, Activation.GELU, 7, 3)
        }) {
      Scorer original = spec.create(rng);
      ScorerState state = original.state();
      Scorer restored = Scorers.fromState(state);
      assertThat(restored.spec()).isEqualTo(spec);
      assertThat(restored.parameters()).isEqualTo(original.parameters());
      assertThat(restored.parameters()).isNotSameAs(original.parameters());
      double[] x = ScorerGradientTest.gaussian(rng, 12 * 9);
      double[] s1 = new double[9 * 5];
      double[] s2 = new double[9 * 5];
      original.forwardBatch(x, 0, 9, s1, original.newWorkspace());
      restored.forwardBatch(x, 0, 9, s2, restored.newWorkspace());
      assertThat(s2).isEqualTo(s1);
      assertThat(new ScorerState(spec, state.parameters())).isEqualTo(state);
    }
  }

  @Test
  void stateIsASnapshotNotAView() {
    Scorer scorer = ScorerSpec.linear(3, 2).create(new SplittableRandom(1));
    ScorerState state = scorer.state();
    double before = state.parameters()[0];
    scorer.parameters()[0] += 1;
    state.parameters()[0] += 1;
    assertThat(state.parameters()[0]).isEqualTo(before);
  }

  @Test
  void copyHasItsOwnParameters() {
    Scorer scorer = ScorerSpec.mlp(3, 2, Activation.RELU, 4).create(new SplittableRandom(1));
    Scorer copy = scorer.copy();
    assertThat(copy).isInstanceOf(MlpScorer.class);
    assertThat(copy.parameters()).isEqualTo(scorer.parameters()).isNotSameAs(scorer.parameters());
    // A workspace fits every scorer of the same architecture.
    Workspace ws = scorer.newWorkspace();
    double[] s = new double[2];
    copy.forward(new double[] {1, 2, 3}, 0, s, ws);
  }

  @Test
  void invalidStatesAndSpecsAreRejectedWithTheOffendingValue() {
    ScorerSpec spec = ScorerSpec.linear(2, 2);
    assertThatThrownBy(() -> new ScorerState(spec, new double[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length 5, expected 6");
    assertThatThrownBy(() -> new ScorerState(spec, new double[] {0, 0, Double.NaN, 0, 0, 0}))
        .hasMessageContaining("parameters[2]");
    assertThatThrownBy(() -> ScorerSpec.mlp(2, 2, Activation.RELU))
        .hasMessageContaining("at least one hidden layer");
    assertThatThrownBy(() -> ScorerSpec.mlp(2, 2, null, 3)).hasMessageContaining("activation");
    assertThatThrownBy(() -> ScorerSpec.mlp(2, 2, Activation.RELU, 3, 0))
        .hasMessageContaining("hidden layer 1 width must be > 0, got 0");
    assertThatThrownBy(() -> ScorerSpec.linear(0, 2)).hasMessageContaining("input dimension");
    assertThatThrownBy(() -> spec.withL2(-1)).hasMessageContaining("l2 coefficient");
    assertThatThrownBy(() -> new ScorerSpec(ScorerSpec.Kind.LINEAR, 2, 2, new int[] {3}, null, 0))
        .hasMessageContaining("no hidden layers");
  }

  @Test
  void specIsAValueWithArrayContents() {
    ScorerSpec a = ScorerSpec.mlp(4, 2, Activation.TANH, 3, 3);
    ScorerSpec b = ScorerSpec.mlp(4, 2, Activation.TANH, 3, 3);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(ScorerSpec.mlp(4, 2, Activation.TANH, 3, 4));
    assertThat(a.parameterCount()).isEqualTo(4 * 3 + 3 + 3 * 3 + 3 + 3 * 2 + 2);
    int[] hidden = a.hidden();
    hidden[0] = 99;
    assertThat(a.hidden()).containsExactly(3, 3);
  }

  @Test
  void misuseOfWorkspacesFailsClearly() {
    Scorer scorer = ScorerSpec.mlp(3, 2, Activation.RELU, 4).create(new SplittableRandom(1));
    Scorer other = ScorerSpec.mlp(3, 2, Activation.RELU, 5).create(new SplittableRandom(1));
    Workspace ws = scorer.newWorkspace();
    double[] grad = new double[scorer.parameterCount()];
    assertThatThrownBy(() -> scorer.backward(new double[2], ws, grad))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("forward pass");
    assertThatThrownBy(() -> scorer.backwardBatch(new double[2], ws, grad))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("forwardBatch");
    assertThatThrownBy(() -> scorer.forward(new double[3], 0, new double[2], other.newWorkspace()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("newWorkspace");
    assertThatThrownBy(() -> scorer.forward(new double[3], 1, new double[2], ws))
        .hasMessageContaining("does not fit");
    assertThatThrownBy(
            () -> scorer.forwardBatch(new double[6], new int[] {0, 2}, 0, 2, new double[4], ws))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("row 2");
    scorer.forward(new double[3], 0, new double[2], ws);
    assertThatThrownBy(() -> scorer.backward(new double[2], ws, new double[3]))
        .hasMessageContaining("gradient has length 3");
  }

  @Test
  void activationsAndDerivativesAtKnownPoints() {
    assertThat(Activation.RELU.apply(-2)).isZero();
    assertThat(Activation.RELU.derivative(0, 0)).isZero();
    assertThat(Activation.TANH.derivative(0.3, Math.tanh(0.3)))
        .isCloseTo(1 - Math.tanh(0.3) * Math.tanh(0.3), within(1e-15));
    // GELU(0) = 0, GELU'(0) = 1/2; for large |z| it tends to ReLU.
    assertThat(Activation.GELU.apply(0)).isZero();
    assertThat(Activation.GELU.derivative(0, 0)).isEqualTo(0.5);
    assertThat(Activation.GELU.apply(10)).isCloseTo(10, within(1e-12));
    assertThat(Activation.GELU.apply(-10)).isCloseTo(0, within(1e-12));
    // Finite for extreme pre-activations (scores of ±1e3 must stay finite).
    for (Activation act : Activation.values()) {
      assertThat(act.apply(1e3)).isFinite();
      assertThat(act.derivative(-1e3, act.apply(-1e3))).isFinite();
    }
  }

  @Test
  void gaussianDrawsHaveUnitVariance() {
    double[] v = new double[100_001];
    Gaussian.fill(new SplittableRandom(11), v, 0, v.length, 1);
    double mean = 0;
    for (double x : v) {
      mean += x / v.length;
    }
    // Standard errors: mean 1/√n ≈ 0.0032, std ≈ 0.0022; tolerances are 4 standard errors.
    assertThat(mean).isCloseTo(0, within(0.013));
    assertThat(std(v, 0, v.length)).isCloseTo(1, within(0.009));
  }

  private static double std(double[] v, int from, int count) {
    double mean = 0;
    for (int i = from; i < from + count; i++) {
      mean += v[i];
    }
    mean /= count;
    double ss = 0;
    for (int i = from; i < from + count; i++) {
      ss += (v[i] - mean) * (v[i] - mean);
    }
    return Math.sqrt(ss / count);
  }
}
