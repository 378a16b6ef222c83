package org.defer4j.core.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.defer4j.core.policy.ScoreHead;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chain rule through every score head against central differences: f(raw) = Σ_j G_j·a_j(raw)
 * with a the head's agent scores and G fixed, so ∂f/∂raw must equal {@link HeadGradient}'s output.
 * Raw scores are drawn with distinct class scores (the arg-max is locally constant); step 1e−6,
 * tolerance 1e−6 absolute (truncation O(h²), rounding O(ε/h) ≈ 1e−10).
 */
class HeadGradientTest {
  @ParameterizedTest
  @EnumSource(ScoreHead.class)
  void matchesCentralDifferences(ScoreHead head) {
    int classes = 3;
    int agents = 3;
    int width = head.layout().scoreCount(classes, agents - 1);
    SplittableRandom rng = new SplittableRandom(head.ordinal() + 1);
    for (int trial = 0; trial < 5; trial++) {
      double[] raw = new double[width];
      for (int k = 0; k < width; k++) {
        raw[k] = 2 * rng.nextDouble() - 1 + (k < classes ? k * 0.5 : 0);
      }
      double[] g = new double[agents];
      for (int j = 0; j < agents; j++) {
        g[j] = 2 * rng.nextDouble() - 1;
      }
      double[] analytic = new double[width];
      HeadGradient.backward(head, raw, 0, classes, agents, g, analytic, width);
      for (int k = 0; k < width; k++) {
        double h = 1e-6;
        double[] up = raw.clone();
        double[] down = raw.clone();
        up[k] += h;
        down[k] -= h;
        double fd = (f(head, up, classes, agents, g) - f(head, down, classes, agents, g)) / (2 * h);
        assertThat(analytic[k])
            .as("%s, raw %d", head, k)
            .isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  private static double f(ScoreHead head, double[] raw, int classes, int agents, double[] g) {
    double[] a = new double[agents];
    head.agentScores(raw, 0, classes, 0.7, a, 0, agents);
    double s = 0;
    for (int j = 0; j < agents; j++) {
      if (Double.isFinite(a[j])) {
        s += g[j] * a[j];
      }
    }
    return s;
  }
}
