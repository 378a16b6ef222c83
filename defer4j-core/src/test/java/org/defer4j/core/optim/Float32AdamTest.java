package org.defer4j.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Float32Adam} follows {@link Adam} (whose update is checked against PyTorch's formula in
 * {@code AdamTest}) up to float32 rounding. Tolerance: each step rounds a handful of operations
 * (unit roundoff 6e−8) into a change of at most the learning rate, so after 50 steps of lr 1e-2 the
 * parameters agree to about 50 × 1e-2 × 1e−6 ≈ 1e−6 plus their own rounding (6e−8 × |θ|).
 */
class Float32AdamTest {
  @Test
  void followsTheFloat64Update() {
    for (double decay : new double[] {0, 0.05}) {
      AdamOptions options = AdamOptions.defaults().withLearningRate(1e-2).withWeightDecay(decay);
      SplittableRandom rng = new SplittableRandom(9);
      int[] lengths = {7, 64, 1, 33};
      float[][] p32 = new float[lengths.length][];
      double[] p64 = new double[7 + 64 + 1 + 33];
      int k = 0;
      for (int r = 0; r < lengths.length; r++) {
        p32[r] = new float[lengths[r]];
        for (int i = 0; i < lengths[r]; i++) {
          p32[r][i] = (float) rng.nextGaussian();
          p64[k++] = p32[r][i];
        }
      }
      Float32Adam adam32 = new Float32Adam(options, p32);
      Adam adam64 = new Adam(options, p64.length);
      float[][] g32 = new float[lengths.length][];
      for (int r = 0; r < lengths.length; r++) {
        g32[r] = new float[lengths[r]];
      }
      double[] g64 = new double[p64.length];
      for (int step = 0; step < 50; step++) {
        k = 0;
        for (float[] row : g32) {
          for (int i = 0; i < row.length; i++) {
            row[i] = (float) (rng.nextGaussian() * (i % 3 == 0 ? 1e-3 : 1));
            g64[k++] = row[i];
          }
        }
        adam32.step(p32, g32);
        adam64.step(p64, g64);
      }
      k = 0;
      for (float[] row : p32) {
        for (float v : row) {
          assertThat(Math.abs(v - p64[k]))
              .as("decay %s, θ[%d]", decay, k)
              .isLessThanOrEqualTo(2e-6 + 3e-6 * Math.abs(p64[k]));
          k++;
        }
      }
      assertThat(adam32.steps()).isEqualTo(50);
    }
  }

  @Test
  void firstStepMovesEachParameterByTheLearningRate() {
    // Kingma & Ba, section 2.1: at t = 1, m̂ / √v̂ = g / |g|, so |Δθ| = lr up to ε / |g|.
    float[][] p = {{0f, 1f, -2f}};
    float[][] g = {{0.5f, -3f, 1e-2f}};
    new Float32Adam(AdamOptions.defaults().withLearningRate(0.1), p).step(p, g);
    assertThat(p[0][0]).isCloseTo(-0.1f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(p[0][1]).isCloseTo(1.1f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(p[0][2]).isCloseTo(-2.1f, org.assertj.core.data.Offset.offset(1e-5f));
  }

  @Test
  void rejectsAnotherShape() {
    Float32Adam adam = new Float32Adam(AdamOptions.defaults(), new float[][] {new float[3]});
    assertThatThrownBy(() -> adam.step(new float[][] {new float[4]}, new float[][] {new float[4]}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row");
  }
}
