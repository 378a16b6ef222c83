package org.defer4j.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Workspace;
import org.junit.jupiter.api.Test;

class AdamTest {

  @Test
  void restoredStateContinuesExactlyAsTheOriginal() {
    // Data-parallel training hands Adam's state from round to round: a fresh optimizer restored to
    // another's moments and step count must take the same next step, bit for bit.
    Adam a = new Adam(AdamOptions.defaults().withLearningRate(0.01), 2);
    double[] p = {0.3, -0.7};
    a.step(p, new double[] {0.5, -0.1});
    a.step(p, new double[] {0.2, 0.4});
    Adam b = new Adam(AdamOptions.defaults().withLearningRate(0.01), 2);
    b.restore(a.firstMoments(), a.secondMoments(), a.steps());
    double[] q = p.clone();
    a.step(p, new double[] {-0.3, 0.25});
    b.step(q, new double[] {-0.3, 0.25});
    assertThat(q).containsExactly(p);
    assertThat(b.steps()).isEqualTo(3);
    assertThatThrownBy(() -> b.restore(new double[1], new double[2], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.restore(new double[2], new double[2], -1))
        .hasMessageContaining("steps must be >= 0");
  }

  @Test
  void stepFiniteTakesTheSameStepWithoutTheScan() {
    Adam a = new Adam(AdamOptions.defaults().withLearningRate(0.01), 2);
    Adam b = new Adam(AdamOptions.defaults().withLearningRate(0.01), 2);
    double[] p = {0.3, -0.7};
    double[] q = p.clone();
    for (double[] g : new double[][] {{0.5, -0.1}, {0.2, 0.4}, {-0.3, 0.25}}) {
      a.step(p, g);
      b.stepFinite(q, g);
    }
    assertThat(q).containsExactly(p);
    assertThat(b.steps()).isEqualTo(3);
    assertThatThrownBy(() -> b.stepFinite(new double[3], new double[2]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void firstStepMatchesHandComputation() {
    Adam adam = new Adam(AdamOptions.defaults(), 3);
    double[] p = {1.0, -2.0, 0.5};
    adam.step(p, new double[] {0.1, -0.2, 0});
    // Step 1 from m = v = 0: m̂ = g and v̂ = g², so θ ← θ − η g / (|g| + ε) with η = 1e−3, ε =
    // 1e−8.
    // 0.1 / (0.1 + 1e−8) = 0.99999990000001 → θ₀ = 1 − 0.00099999990000001;
    // 0.2 / (0.2 + 1e−8) = 0.9999999500000025 → θ₁ = −2 + 0.0009999999500000025; g₂ = 0 → no move.
    assertThat(p[0]).isCloseTo(0.99900000009999999, within(1e-15));
    assertThat(p[1]).isCloseTo(-1.9990000000499999975, within(1e-15));
    assertThat(p[2]).isEqualTo(0.5);
    assertThat(adam.steps()).isEqualTo(1);
  }

  @Test
  void secondStepMatchesHandComputation() {
    Adam adam = new Adam(new AdamOptions(0.1, 0.5, 0.75, 1e-8, 0), 1);
    double[] p = {0};
    adam.step(p, new double[] {1});
    adam.step(p, new double[] {-1});
    // Step 1: m = 0.5, v = 0.25, m̂ = 1, v̂ = 1 → θ = −0.1·1/(1 + 1e−8).
    // Step 2: m = 0.25 − 0.5 = −0.25, v = 0.1875 + 0.25 = 0.4375; m̂ = −0.25/0.75 = −1/3,
    // v̂ = 0.4375/0.4375 = 1 → θ −= 0.1·(−1/3)/(1 + 1e−8).
    double expected = (-0.1 + 0.1 / 3) / (1 + 1e-8);
    assertThat(p[0]).isCloseTo(expected, within(1e-15));
  }

  @Test
  void decoupledWeightDecayShrinksBeforeTheAdamStep() {
    Adam adam = new Adam(AdamOptions.defaults().withLearningRate(0.1).withWeightDecay(0.5), 1);
    double[] p = {2};
    adam.step(p, new double[] {0});
    // Zero gradient: only the decay acts, θ ← θ (1 − η λ) = 2 · 0.95 (AdamW, Loshchilov & Hutter).
    assertThat(p[0]).isCloseTo(1.9, within(1e-15));
  }

  @Test
  void minimisesAnIllConditionedQuadratic() {
    // f(x) = ½ Σ a_i (x_i − c_i)², curvatures 1 to 100; the minimiser is c.
    double[] a = {1, 10, 100};
    double[] c = {1, -2, 3};
    double[] x = {0, 0, 0};
    double[] g = new double[3];
    Adam adam = new Adam(AdamOptions.defaults().withLearningRate(0.05), 3);
    double f0 = quadratic(a, c, x, g);
    for (int t = 0; t < 3000; t++) {
      quadratic(a, c, x, g);
      adam.step(x, g);
      if (t == 2000) {
        adam.setLearningRate(0.001);
      }
    }
    // Adam's per-coordinate scaling makes the conditioning irrelevant; after the learning-rate
    // drop the iterate settles within a few η of c.
    assertThat(quadratic(a, c, x, g)).isLessThan(1e-6 * f0);
    assertThat(x[2]).isCloseTo(3, within(1e-3));
  }

  @Test
  void trainsALinearScorerOnASeparableLogisticProblem() {
    // Two classes separated by the sign of x₀ + x₁; softmax cross-entropy with a linear scorer.
    SplittableRandom rng = new SplittableRandom(17);
    int n = 400;
    int d = 5;
    double[] features = new double[n * d];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        features[i * d + j] = rng.nextDouble() * 2 - 1;
      }
      labels[i] = features[i * d] + features[i * d + 1] > 0 ? 1 : 0;
    }
    Scorer scorer = ScorerSpec.linear(d, 2).create(rng);
    Adam adam = new Adam(AdamOptions.defaults().withLearningRate(0.05), scorer.parameterCount());
    double initial = Logistic.meanCrossEntropy(scorer, features, labels, null);
    double[] grad = new double[scorer.parameterCount()];
    for (int epoch = 0; epoch < 100; epoch++) {
      java.util.Arrays.fill(grad, 0);
      Logistic.meanCrossEntropy(scorer, features, labels, grad);
      adam.step(scorer.parameters(), grad);
    }
    double trained = Logistic.meanCrossEntropy(scorer, features, labels, null);
    // ln 2 ≈ 0.69 at chance; a separable problem drives the loss well below 0.2.
    assertThat(initial).isGreaterThan(0.4);
    assertThat(trained).isLessThan(0.2);
  }

  @Test
  void nonFiniteGradientStopsAndLeavesParametersUnchanged() {
    Adam adam = new Adam(AdamOptions.defaults(), 2);
    double[] p = {1, 2};
    assertThatThrownBy(() -> adam.step(p, new double[] {0.1, Double.NaN}))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("Adam step 1")
        .hasMessageContaining("gradient[1] is NaN");
    assertThat(p).containsExactly(1, 2);
    assertThat(adam.steps()).isZero();
  }

  @Test
  void optionsAreValidatedWithTheOffendingValue() {
    assertThatThrownBy(() -> AdamOptions.defaults().withLearningRate(-1))
        .hasMessageContaining("learning rate must be finite and > 0, got -1.0");
    assertThatThrownBy(() -> new AdamOptions(1e-3, 1, 0.999, 1e-8, 0))
        .hasMessageContaining("beta1 must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> new AdamOptions(1e-3, 0.9, 0.999, 0, 0))
        .hasMessageContaining("epsilon");
    assertThatThrownBy(() -> AdamOptions.defaults().withWeightDecay(Double.NaN))
        .hasMessageContaining("weight decay");
    assertThatThrownBy(() -> new Adam(AdamOptions.defaults(), 2).step(new double[3], new double[3]))
        .hasMessageContaining("parameters has length 3, expected 2");
  }

  @Test
  void resetForgetsMomentsAndLearningRate() {
    Adam adam = new Adam(AdamOptions.defaults(), 1);
    double[] p = {0};
    adam.step(p, new double[] {1});
    adam.setLearningRate(0.5);
    adam.reset();
    assertThat(adam.steps()).isZero();
    assertThat(adam.learningRate()).isEqualTo(1e-3);
    double[] q = {0};
    adam.step(q, new double[] {1});
    Adam fresh = new Adam(AdamOptions.defaults(), 1);
    double[] r = {0};
    fresh.step(r, new double[] {1});
    assertThat(q).isEqualTo(r);
  }

  static double quadratic(double[] a, double[] c, double[] x, double[] g) {
    double f = 0;
    for (int i = 0; i < x.length; i++) {
      double r = x[i] - c[i];
      f += 0.5 * a[i] * r * r;
      g[i] = a[i] * r;
    }
    return f;
  }

  /** Mean softmax cross-entropy of a scorer over a small table, with a stable log-sum-exp. */
  static final class Logistic {
    private Logistic() {}

    static double meanCrossEntropy(Scorer scorer, double[] x, int[] y, double[] gradAccum) {
      int n = y.length;
      int a = scorer.outputDim();
      Workspace ws = scorer.newWorkspace();
      double[] s = new double[n * a];
      scorer.forwardBatch(x, 0, n, s, ws);
      double[] dl = new double[n * a];
      double loss = 0;
      for (int i = 0; i < n; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < a; k++) {
          max = Math.max(max, s[i * a + k]);
        }
        double sum = 0;
        for (int k = 0; k < a; k++) {
          sum += Math.exp(s[i * a + k] - max);
        }
        double lse = max + Math.log(sum);
        loss += lse - s[i * a + y[i]];
        for (int k = 0; k < a; k++) {
          dl[i * a + k] = (Math.exp(s[i * a + k] - lse) - (k == y[i] ? 1 : 0)) / n;
        }
      }
      if (gradAccum != null) {
        scorer.backwardBatch(dl, ws, gradAccum);
      }
      return loss / n;
    }
  }
}
