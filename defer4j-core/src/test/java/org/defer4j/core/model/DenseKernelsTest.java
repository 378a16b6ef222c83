package org.defer4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vectorized row-array kernels against scalar references written from their javadoc: every sum
 * starts at 0 (or at the accumulator's value) and takes its terms in the stated order, each with
 * one rounding ({@code Math.fma}). The comparison is bit for bit, so a change of the order or of
 * the rounding shows here; the sizes are not multiples of the kernels' unrolling (4) or blocks (32,
 * 256), so every remainder loop runs. The second check is against the plain two-rounding sum, to
 * 1e−12 relative to max(1, |value|): the fused sums are the same sums.
 */
class DenseKernelsTest {
  private static final double TOL = 1e-12;

  private static double[][] rows(SplittableRandom rng, int n, int m, double zeroShare) {
    double[][] r = new double[n][m];
    for (double[] row : r) {
      for (int j = 0; j < m; j++) {
        row[j] = rng.nextDouble() < zeroShare ? 0 : rng.nextDouble() * 4 - 2;
      }
    }
    return r;
  }

  private static void assertClose(double actual, double expected) {
    assertThat(Math.abs(actual - expected))
        .isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(expected)));
  }

  @ParameterizedTest
  @CsvSource({"9, 37, 19", "5, 300, 64", "1, 3, 16"})
  void forwardWideAddsEachTermWithOneRoundingInInputOrder(int n, int in, int out) {
    SplittableRandom rng = new SplittableRandom(n * 1000L + in);
    double[][] x = rows(rng, n, in, 0.2);
    double[] p = new double[out * in + out];
    for (int i = 0; i < p.length; i++) {
      p[i] = rng.nextDouble() - 0.5;
    }
    double[][] wt = new double[in][out];
    Dense.transpose(0, in, p, 0, out, in, wt);
    double[][] c = new double[n][out];
    Dense.forwardWide(0, n, x, in, wt, p, out * in, out, c);
    for (int b = 0; b < n; b++) {
      for (int o = 0; o < out; o++) {
        double fused = 0;
        double plain = 0;
        for (int j = 0; j < in; j++) {
          fused = Math.fma(x[b][j], p[o * in + j], fused);
          plain += x[b][j] * p[o * in + j];
        }
        assertThat(c[b][o]).as("c[%d][%d]", b, o).isEqualTo(fused + p[out * in + o]);
        assertClose(c[b][o], plain + p[out * in + o]);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"9, 37, 19", "130, 300, 6", "1, 3, 2"})
  void weightGradientsAddEachRowWithOneRoundingInRowOrder(int n, int in, int out) {
    SplittableRandom rng = new SplittableRandom(n * 1000L + in);
    double[][] x = rows(rng, n, in, 0.1);
    // About half of the output gradients zero, as behind ReLU's inactive units.
    double[][] g = rows(rng, n, out, 0.5);
    double[][] start = rows(rng, out, in, 0);
    double[][] dense = new double[out][];
    double[][] sparse = new double[out][];
    for (int o = 0; o < out; o++) {
      dense[o] = start[o].clone();
      sparse[o] = start[o].clone();
    }
    Dense.accumulateDense(0, in, n, x, g, out, dense);
    Dense.accumulateSparse(0, out, n, x, in, g, sparse, new int[n]);
    for (int o = 0; o < out; o++) {
      for (int j = 0; j < in; j++) {
        double fused = start[o][j];
        double fusedNonZero = start[o][j];
        double plain = start[o][j];
        for (int b = 0; b < n; b++) {
          fused = Math.fma(g[b][o], x[b][j], fused);
          if (g[b][o] != 0) {
            fusedNonZero = Math.fma(g[b][o], x[b][j], fusedNonZero);
          }
          plain += g[b][o] * x[b][j];
        }
        assertThat(dense[o][j]).as("dense gw[%d][%d]", o, j).isEqualTo(fused);
        assertThat(sparse[o][j]).as("sparse gw[%d][%d]", o, j).isEqualTo(fusedNonZero);
        assertClose(dense[o][j], plain);
        assertClose(sparse[o][j], plain);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"9, 37, 19", "4, 64, 6", "2, 1, 1"})
  void backInputAddsEachOutputWithOneRoundingInOutputOrder(int n, int in, int out) {
    SplittableRandom rng = new SplittableRandom(n * 1000L + in);
    double[][] g = rows(rng, n, out, 0.3);
    double[][] wr = rows(rng, out, in, 0);
    double[][] da = rows(rng, n, in, 0); // overwritten
    Dense.backInput(0, n, g, out, wr, in, da);
    for (int b = 0; b < n; b++) {
      for (int j = 0; j < in; j++) {
        double fused = 0;
        double plain = 0;
        for (int o = 0; o < out; o++) {
          fused = Math.fma(g[b][o], wr[o][j], fused);
          plain += g[b][o] * wr[o][j];
        }
        assertThat(da[b][j]).as("da[%d][%d]", b, j).isEqualTo(fused);
        assertClose(da[b][j], plain);
      }
    }
  }
}
