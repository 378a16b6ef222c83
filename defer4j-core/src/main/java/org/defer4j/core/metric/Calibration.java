package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.defer4j.core.Checks;

/**
 * Calibration of probability estimates against 0/1 outcomes, e.g. an L2D model's estimate of
 * P(expert correct | x) against whether the expert was correct (Verma &amp; Nalisnick 2022, who
 * show the softmax L2D estimate is not calibrated and the one-vs-all one is).
 *
 * <p>Equal-width binning with B bins: bin b ∈ {0..B−1} covers (b/B, (b+1)/B], and a probability of
 * exactly 0 goes to the first bin. With n_b rows in bin b, mean confidence conf_b and share of
 * positive outcomes acc_b:
 *
 * <pre>
 *   ECE = Σ_b (n_b / n) · |acc_b − conf_b|          (Naeini et al. 2015; Guo et al. 2017)
 *   MCE = max_{b: n_b &gt; 0} |acc_b − conf_b|
 * </pre>
 *
 * The (lo, hi] convention and the default of 20 bins are those of the reference code of Verma &amp;
 * Nalisnick 2022 (rajevv/OvA-L2D, {@code compute_calibration}), so ECEs are comparable with the
 * published ones; that code drops probabilities of exactly 0 (they fall in no bin but still count
 * in n), where we count them in the first bin.
 */
public final class Calibration {
  /** The default number of bins. */
  public static final int DEFAULT_BINS = 20;

  /**
   * One bin of a reliability diagram.
   *
   * @param lo the bin's lower edge (exclusive, except 0 for the first bin)
   * @param hi the bin's upper edge (inclusive)
   * @param count rows in the bin
   * @param meanConfidence mean probability of its rows (NaN when empty)
   * @param accuracy share of its rows with outcome 1 (NaN when empty)
   */
  public record Bin(double lo, double hi, int count, double meanConfidence, double accuracy) {}

  /**
   * A reliability diagram with its summary errors.
   *
   * @param bins the B bins in order
   * @param n the number of rows
   * @param ece the expected calibration error (NaN when n = 0)
   * @param mce the maximum calibration error (NaN when n = 0)
   */
  public record Reliability(List<Bin> bins, int n, double ece, double mce) {
    /** Copies the bins into an unmodifiable list. */
    public Reliability {
      bins = List.copyOf(bins);
    }
  }

  private Calibration() {}

  /** The ECE with {@value #DEFAULT_BINS} bins. */
  public static double expectedCalibrationError(double[] probabilities, int[] outcomes) {
    return reliability(probabilities, outcomes, DEFAULT_BINS).ece();
  }

  /** The ECE with {@code bins} bins. */
  public static double expectedCalibrationError(double[] probabilities, int[] outcomes, int bins) {
    return reliability(probabilities, outcomes, bins).ece();
  }

  /** The MCE with {@value #DEFAULT_BINS} bins. */
  public static double maximumCalibrationError(double[] probabilities, int[] outcomes) {
    return reliability(probabilities, outcomes, DEFAULT_BINS).mce();
  }

  /** The MCE with {@code bins} bins. */
  public static double maximumCalibrationError(double[] probabilities, int[] outcomes, int bins) {
    return reliability(probabilities, outcomes, bins).mce();
  }

  /**
   * The reliability diagram: per bin its edges, count, mean confidence and accuracy.
   *
   * @param probabilities n probabilities in [0, 1]
   * @param outcomes n outcomes, each 0 or 1
   * @param bins the number of equal-width bins B ≥ 1
   * @throws IllegalArgumentException on a length mismatch, a probability outside [0, 1] (NaN
   *     included) or an outcome other than 0 and 1
   */
  public static Reliability reliability(double[] probabilities, int[] outcomes, int bins) {
    Checks.checkPositive("bins", bins);
    Checks.checkDimension("outcomes", outcomes.length, probabilities.length);
    int n = probabilities.length;
    int[] count = new int[bins];
    double[] conf = new double[bins];
    double[] pos = new double[bins];
    for (int i = 0; i < n; i++) {
      double p = Checks.checkProbability("probability " + i, probabilities[i]);
      if (outcomes[i] != 0 && outcomes[i] != 1) {
        throw new IllegalArgumentException("outcome " + i + " must be 0 or 1, got " + outcomes[i]);
      }
      int b = bin(p, bins);
      count[b]++;
      conf[b] += p;
      pos[b] += outcomes[i];
    }
    List<Bin> out = new ArrayList<>(bins);
    double ece = 0;
    double mce = 0;
    for (int b = 0; b < bins; b++) {
      double lo = edge(b, bins);
      double hi = edge(b + 1, bins);
      if (count[b] == 0) {
        out.add(new Bin(lo, hi, 0, Double.NaN, Double.NaN));
        continue;
      }
      double meanConf = conf[b] / count[b];
      double acc = pos[b] / count[b];
      double gap = Math.abs(acc - meanConf);
      ece += (double) count[b] / n * gap;
      mce = Math.max(mce, gap);
      out.add(new Bin(lo, hi, count[b], meanConf, acc));
    }
    if (n == 0) {
      ece = Double.NaN;
      mce = Double.NaN;
    }
    return new Reliability(Collections.unmodifiableList(out), n, ece, mce);
  }

  /**
   * The bin of a probability: the b with b/B &lt; p ≤ (b+1)/B, and 0 for p = 0. The edges are the
   * doubles {@code b / (double) B}, compared exactly, so a probability equal to an edge goes to the
   * bin below it.
   */
  public static int bin(double p, int bins) {
    Checks.checkPositive("bins", bins);
    Checks.checkProbability("probability", p);
    int b = (int) Math.ceil(p * bins) - 1;
    b = Math.max(0, Math.min(bins - 1, b));
    // p·B is rounded, so the first guess can be one off near an edge; the edges decide.
    while (b > 0 && p <= edge(b, bins)) {
      b--;
    }
    while (b < bins - 1 && p > edge(b + 1, bins)) {
      b++;
    }
    return b;
  }

  private static double edge(int b, int bins) {
    return (double) b / bins;
  }
}
