package org.defer4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central finite differences against the analytic parameter and input gradients, for the linear
 * scorer and MLPs with every activation, over several seeds.
 *
 * <p>The probe loss is L(θ, x) = Σ_a G_a s_a(x; θ) + (λ/2)‖W‖² with a fixed random G, so ∂L/∂s = G
 * exactly and the test checks the scorer alone. Step h = 1e−6 on O(1) quantities: the central
 * difference's truncation error is O(h²) ≈ 1e−12 and its rounding error O(ε/h) ≈ 1e−10, so a
 * tolerance of 1e−7 (absolute) + 1e−6 (relative) leaves three orders of margin while still catching
 * any wrong term (those are O(1)).
 */
class ScorerGradientTest {
  private static final double H = 1e-6;
  private static final double ATOL = 1e-7;
  private static final double RTOL = 1e-6;

  static Stream<Arguments> scorers() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (long seed = 1; seed <= 3; seed++) {
      cases.add(Arguments.of(ScorerSpec.linear(7, 3).withL2(0.3), seed));
      for (Activation act : Activation.values()) {
        cases.add(Arguments.of(ScorerSpec.mlp(7, 3, act, 5).withL2(0.3), seed));
        cases.add(Arguments.of(ScorerSpec.mlp(6, 4, act, 5, 4).withL2(0.1), seed));
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("scorers")
  void parameterGradientMatchesCentralDifferences(ScorerSpec spec, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Scorer scorer = spec.create(rng);
    perturbBiases(scorer, rng);
    double[] x = gaussian(rng, spec.inputDim());
    double[] g = gaussian(rng, spec.outputDim());
    Workspace ws = scorer.newWorkspace();

    double[] analytic = new double[scorer.parameterCount()];
    scorer.forward(x, 0, new double[spec.outputDim()], ws);
    scorer.backward(g, ws, analytic);
    scorer.penalty(analytic);

    double[] theta = scorer.parameters();
    for (int i = 0; i < theta.length; i++) {
      double saved = theta[i];
      theta[i] = saved + H;
      double up = probe(scorer, x, g, ws);
      theta[i] = saved - H;
      double down = probe(scorer, x, g, ws);
      theta[i] = saved;
      double numeric = (up - down) / (2 * H);
      assertThat(Math.abs(analytic[i] - numeric))
          .as("∂L/∂θ[%d]: analytic %s, numeric %s", i, analytic[i], numeric)
          .isLessThanOrEqualTo(ATOL + RTOL * Math.abs(numeric));
    }
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("scorers")
  void inputGradientMatchesCentralDifferences(ScorerSpec spec, long seed) {
    SplittableRandom rng = new SplittableRandom(seed + 100);
    Scorer scorer = spec.create(rng);
    perturbBiases(scorer, rng);
    double[] x = gaussian(rng, spec.inputDim());
    double[] g = gaussian(rng, spec.outputDim());
    Workspace ws = scorer.newWorkspace();

    double[] analytic = new double[spec.inputDim()];
    scorer.forward(x, 0, new double[spec.outputDim()], ws);
    scorer.inputGradient(g, ws, analytic);

    for (int j = 0; j < x.length; j++) {
      double saved = x[j];
      x[j] = saved + H;
      double up = probe(scorer, x, g, ws);
      x[j] = saved - H;
      double down = probe(scorer, x, g, ws);
      x[j] = saved;
      double numeric = (up - down) / (2 * H);
      assertThat(Math.abs(analytic[j] - numeric))
          .as("∂L/∂x[%d]: analytic %s, numeric %s", j, analytic[j], numeric)
          .isLessThanOrEqualTo(ATOL + RTOL * Math.abs(numeric));
    }
  }

  private static double probe(Scorer scorer, double[] x, double[] g, Workspace ws) {
    double[] s = new double[g.length];
    scorer.forward(x, 0, s, ws);
    double loss = 0;
    for (int a = 0; a < s.length; a++) {
      loss += g[a] * s[a];
    }
    return loss + scorer.penalty(null);
  }

  /** Non-zero biases so that their gradient paths are exercised with generic values. */
  static void perturbBiases(Scorer scorer, SplittableRandom rng) {
    int[] sizes = scorer.spec().layerSizes();
    double[] theta = scorer.parameters();
    int offset = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      offset += sizes[l + 1] * sizes[l];
      for (int o = 0; o < sizes[l + 1]; o++) {
        theta[offset + o] = 0.5 * (rng.nextDouble() - 0.5);
      }
      offset += sizes[l + 1];
    }
  }

  static double[] gaussian(SplittableRandom rng, int n) {
    double[] v = new double[n];
    Gaussian.fill(rng, v, 0, n, 1);
    return v;
  }
}
