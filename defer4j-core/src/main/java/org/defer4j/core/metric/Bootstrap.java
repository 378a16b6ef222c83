package org.defer4j.core.metric;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;

/**
 * Seeded percentile-bootstrap confidence intervals (Efron &amp; Tibshirani 1993, §13.3).
 *
 * <p>Each of R resamples draws n row indices uniformly with replacement from the given {@link
 * SplittableRandom} and recomputes the statistic on them; the interval at level 1 − α is the pair
 * of empirical α/2 and 1 − α/2 quantiles of the R replicates (linear interpolation between order
 * statistics, Hyndman &amp; Fan type 7). The same generator state gives the same interval. A
 * replicate that is NaN (for example a resample whose weights sum to 0) is left out of the
 * quantiles; when every replicate is NaN, so are the bounds.
 */
public final class Bootstrap {

  /**
   * A point estimate with its bootstrap interval.
   *
   * @param estimate the statistic on the original rows
   * @param lower the lower bound
   * @param upper the upper bound
   * @param level the confidence level 1 − α
   * @param resamples the number of resamples R
   */
  public record Interval(double estimate, double lower, double upper, double level, int resamples) {
    /** Whether {@code x} lies in [lower, upper]. */
    public boolean contains(double x) {
      return x >= lower && x <= upper;
    }
  }

  private Bootstrap() {}

  /**
   * The interval of any statistic of a set of row indices.
   *
   * @param n the number of rows
   * @param statistic maps row indices (the original 0..n−1, or a resample) to a value
   * @param resamples R ≥ 1
   * @param level 1 − α ∈ (0, 1)
   * @param rng the generator the resamples are drawn from (advanced by this call)
   */
  public static Interval statistic(
      int n, ToDoubleFunction<int[]> statistic, int resamples, double level, SplittableRandom rng) {
    Checks.checkPositive("resamples", resamples);
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
    }
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    double estimate = n == 0 ? Double.NaN : statistic.applyAsDouble(rows);
    if (n == 0) {
      return new Interval(Double.NaN, Double.NaN, Double.NaN, level, resamples);
    }
    double[] reps = new double[resamples];
    int m = 0;
    int[] sample = new int[n];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < n; i++) {
        sample[i] = rng.nextInt(n);
      }
      double v = statistic.applyAsDouble(sample);
      if (!Double.isNaN(v)) {
        reps[m++] = v;
      }
    }
    if (m == 0) {
      return new Interval(estimate, Double.NaN, Double.NaN, level, resamples);
    }
    double[] sorted = Arrays.copyOf(reps, m);
    Arrays.sort(sorted);
    double alpha = 1 - level;
    return new Interval(
        estimate, quantile(sorted, alpha / 2), quantile(sorted, 1 - alpha / 2), level, resamples);
  }

  /**
   * The interval of the (weighted) mean of a per-row statistic, e.g. per-row costs or 0/1
   * correctness.
   *
   * @param values n finite values
   * @param weightsOrNull n weights ≥ 0, or {@code null} for unit weights
   */
  public static Interval mean(
      double[] values, double[] weightsOrNull, int resamples, double level, SplittableRandom rng) {
    Checks.checkAllFinite("values", values);
    double[] w;
    if (weightsOrNull == null) {
      w = new double[values.length];
      Arrays.fill(w, 1.0);
    } else {
      Checks.checkDimension("weights", weightsOrNull.length, values.length);
      w = weightsOrNull.clone();
      for (int i = 0; i < w.length; i++) {
        Checks.checkNonNegative("weight " + i, w[i]);
      }
    }
    double[] v = values.clone();
    return statistic(
        v.length,
        rows -> {
          double num = 0;
          double den = 0;
          for (int i : rows) {
            num += w[i] * v[i];
            den += w[i];
          }
          return den > 0 ? num / den : Double.NaN;
        },
        resamples,
        level,
        rng);
  }

  /**
   * The interval of the mean system cost of decisions (weighted by the table's weights).
   *
   * @param table the table for weights, or {@code null}
   */
  public static Interval meanCost(
      CostMatrix costs,
      int[] decisions,
      DeferralTable table,
      int resamples,
      double level,
      SplittableRandom rng) {
    return mean(
        DeferralMetrics.rowCosts(costs, decisions),
        DeferralMetrics.weights(table, costs.rows()),
        resamples,
        level,
        rng);
  }

  /**
   * The interval of the system accuracy of decisions (weighted by the table's weights); all NaN
   * when a chosen agent's correctness is unknown.
   *
   * @param table the table for weights, or {@code null}
   */
  public static Interval systemAccuracy(
      CostMatrix costs,
      int[] decisions,
      DeferralTable table,
      int resamples,
      double level,
      SplittableRandom rng) {
    double[] k = DeferralMetrics.rowCorrect(costs, decisions);
    for (double x : k) {
      if (Double.isNaN(x)) {
        return new Interval(Double.NaN, Double.NaN, Double.NaN, level, resamples);
      }
    }
    return mean(k, DeferralMetrics.weights(table, costs.rows()), resamples, level, rng);
  }

  /**
   * The percentile interval of replicates: NaN replicates are left out, the bounds are the type-7
   * α/2 and 1 − α/2 quantiles of the rest (NaN when none is left).
   *
   * @param replicates R replicates (not modified)
   */
  static Interval percentile(double estimate, double[] replicates, double level, int resamples) {
    double[] sorted = new double[replicates.length];
    int m = 0;
    for (double v : replicates) {
      if (!Double.isNaN(v)) {
        sorted[m++] = v;
      }
    }
    if (m == 0) {
      return new Interval(estimate, Double.NaN, Double.NaN, level, resamples);
    }
    sorted = Arrays.copyOf(sorted, m);
    Arrays.sort(sorted);
    double alpha = 1 - level;
    return new Interval(
        estimate, quantile(sorted, alpha / 2), quantile(sorted, 1 - alpha / 2), level, resamples);
  }

  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
