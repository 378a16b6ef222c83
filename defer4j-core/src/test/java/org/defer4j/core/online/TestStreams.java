package org.defer4j.core.online;

import java.util.List;

/** Small hand-made streams for the online tests. */
final class TestStreams {
  private TestStreams() {}

  /** A round over {@code agents} with all available, zero fees. */
  static OnlineRound round(int t, double[] x, String... agents) {
    boolean[] avail = new boolean[agents.length];
    java.util.Arrays.fill(avail, true);
    return new OnlineRound(
        t, Integer.toString(t), x, List.of(agents), avail, new double[agents.length]);
  }

  /** A round with the given availability and zero fees. */
  static OnlineRound round(int t, double[] x, List<String> agents, boolean... avail) {
    return new OnlineRound(t, Integer.toString(t), x, agents, avail, new double[agents.size()]);
  }

  /** Solves (λI + Σ f fᵀ) θ = Σ f y by Gaussian elimination (an independent closed form). */
  static double[] ridge(double lambda, double[][] f, double[] y) {
    int p = f[0].length;
    double[][] a = new double[p][p + 1];
    for (int i = 0; i < f.length; i++) {
      for (int r = 0; r < p; r++) {
        for (int c = 0; c < p; c++) {
          a[r][c] += f[i][r] * f[i][c];
        }
        a[r][p] += f[i][r] * y[i];
      }
    }
    for (int r = 0; r < p; r++) {
      a[r][r] += lambda;
    }
    for (int col = 0; col < p; col++) {
      for (int r = 0; r < p; r++) {
        if (r != col) {
          double k = a[r][col] / a[col][col];
          for (int c = col; c <= p; c++) {
            a[r][c] -= k * a[col][c];
          }
        }
      }
    }
    double[] out = new double[p];
    for (int r = 0; r < p; r++) {
      out[r] = a[r][p] / a[r][r];
    }
    return out;
  }

  /** (λI + Σ f fᵀ)⁻¹ by Gauss–Jordan. */
  static double[][] inverseGram(double lambda, double[][] f, int p) {
    double[][] a = new double[p][2 * p];
    for (double[] row : f) {
      for (int r = 0; r < p; r++) {
        for (int c = 0; c < p; c++) {
          a[r][c] += row[r] * row[c];
        }
      }
    }
    for (int r = 0; r < p; r++) {
      a[r][r] += lambda;
      a[r][p + r] = 1.0;
    }
    for (int col = 0; col < p; col++) {
      double piv = a[col][col];
      for (int c = 0; c < 2 * p; c++) {
        a[col][c] /= piv;
      }
      for (int r = 0; r < p; r++) {
        if (r != col) {
          double k = a[r][col];
          for (int c = 0; c < 2 * p; c++) {
            a[r][c] -= k * a[col][c];
          }
        }
      }
    }
    double[][] inv = new double[p][p];
    for (int r = 0; r < p; r++) {
      System.arraycopy(a[r], p, inv[r], 0, p);
    }
    return inv;
  }
}
