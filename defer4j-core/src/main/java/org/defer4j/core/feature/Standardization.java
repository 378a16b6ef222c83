package org.defer4j.core.feature;

import java.util.Arrays;
import org.defer4j.core.Checks;

/**
 * Per-input standardisation z = (x − μ) / σ with μ and σ fitted on the training inputs (population
 * standard deviation; an input that is constant in training keeps σ = 1, so it maps to 0 and never
 * divides by zero). Fitted once by the trainer and saved with the policy.
 *
 * @param mean μ per input (copied)
 * @param scale σ per input, &gt; 0 (copied)
 */
public record Standardization(double[] mean, double[] scale) {
  /** Below this a training standard deviation counts as 0. */
  public static final double MIN_SCALE = 1e-12;

  /** Validates and copies. */
  public Standardization {
    Checks.checkDimension("standardisation scales", scale.length, mean.length);
    Checks.checkAllFinite("standardisation means", mean);
    for (int j = 0; j < scale.length; j++) {
      if (!(scale[j] > 0) || Double.isInfinite(scale[j])) {
        throw new IllegalArgumentException(
            "standardisation scale " + j + " must be finite and > 0, got " + scale[j]);
      }
    }
    mean = mean.clone();
    scale = scale.clone();
  }

  /**
   * Fits μ and σ on a row-major n × d block (two passes, so no cancellation).
   *
   * @throws IllegalArgumentException when n = 0
   */
  public static Standardization fit(double[] block, int d) {
    Checks.checkPositive("inputs", d);
    int n = block.length / d;
    if (n == 0) {
      throw new IllegalArgumentException("cannot fit a standardisation on 0 rows");
    }
    double[] mu = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mu[j] += block[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= n;
    }
    double[] var = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double c = block[i * d + j] - mu[j];
        var[j] += c * c;
      }
    }
    double[] sd = new double[d];
    for (int j = 0; j < d; j++) {
      double s = Math.sqrt(var[j] / n);
      sd[j] = s < MIN_SCALE ? 1.0 : s;
    }
    return new Standardization(mu, sd);
  }

  /** Number of inputs. */
  public int dimension() {
    return mean.length;
  }

  /** Standardises a row-major block in place. */
  public void applyInPlace(double[] block) {
    int d = mean.length;
    for (int base = 0; base < block.length; base += d) {
      for (int j = 0; j < d; j++) {
        block[base + j] = (block[base + j] - mean[j]) / scale[j];
      }
    }
  }

  /**
   * Standardises inputs {@code [from, to)} of every row of a row-major block of width {@link
   * #dimension()} in place, exactly as {@link #applyInPlace(double[])} does on those inputs.
   */
  void applyInPlace(double[] block, int from, int to) {
    int d = mean.length;
    int[] cols = new int[to - from];
    int m = 0;
    for (int j = from; j < to; j++) {
      // (x - 0.0) / 1.0 == x bit for bit: an input left unstandardised (a step's) is skipped
      if (Double.doubleToRawLongBits(mean[j]) != 0L || scale[j] != 1.0) {
        cols[m++] = j;
      }
    }
    if (m == 0) {
      return;
    }
    for (int base = 0; base < block.length; base += d) {
      for (int c = 0; c < m; c++) {
        int j = cols[c];
        block[base + j] = (block[base + j] - mean[j]) / scale[j];
      }
    }
  }

  /**
   * Writes the standardised inputs {@code 0..source.length-1} of n rows in one pass: {@code
   * out[i·width + j] = (x[i·dIn + source[j]] − μ_j) / σ_j}, the value {@link
   * #applyInPlace(double[])} gives for the gathered input.
   *
   * @param identity whether {@code source[j] == j} for every j (a plain, vectorisable loop)
   */
  void gatherInto(
      double[] x, int dIn, int[] source, boolean identity, int n, double[] out, int width) {
    int d = source.length;
    double[] mu = mean;
    double[] sigma = scale;
    if (identity && d == width) {
      for (int base = 0; base < n * d; base += d) {
        for (int j = 0; j < d; j++) {
          out[base + j] = (x[base + j] - mu[j]) / sigma[j];
        }
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      int from = i * dIn;
      int to = i * width;
      if (identity) {
        for (int j = 0; j < d; j++) {
          out[to + j] = (x[from + j] - mu[j]) / sigma[j];
        }
      } else {
        for (int j = 0; j < d; j++) {
          out[to + j] = (x[from + source[j]] - mu[j]) / sigma[j];
        }
      }
    }
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] scale() {
    return scale.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Standardization s
        && Arrays.equals(mean, s.mean)
        && Arrays.equals(scale, s.scale);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(mean) * 31 + Arrays.hashCode(scale);
  }

  @Override
  public String toString() {
    return "Standardization[" + mean.length + " inputs]";
  }
}
