package org.defer4j.core.conformal;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.math.Sampling;

/**
 * Repeated random calibration/test splits of deferred cases for {@link ConformalEnsemble}, both
 * variants: per split the rows are shuffled, the first share calibrates (split conformal and risk
 * control) and the rest are tested. Split k uses the k-th split of a {@link SplittableRandom}
 * seeded with {@code seed}.
 */
public final class ConformalEnsembleStudy {
  private ConformalEnsembleStudy() {}

  /**
   * The deferred cases.
   *
   * @param confidence π_j(x), row-major n × J
   * @param correct whether expert j was right, n × J
   * @param answers expert j's class, n × J (−1: none)
   * @param labels the true class per row (−1: unknown)
   * @param chosenRight whether the policy's own single choice was right
   * @param experts J
   */
  public record Cases(
      double[] confidence,
      boolean[] correct,
      int[] answers,
      int[] labels,
      boolean[] chosenRight,
      int experts) {
    /** Checks the shapes. */
    public Cases {
      Checks.checkPositive("experts", experts);
      int n = labels.length;
      Checks.checkDimension("confidences", confidence.length, n * experts);
      Checks.checkDimension("correctness", correct.length, n * experts);
      Checks.checkDimension("answers", answers.length, n * experts);
      Checks.checkDimension("chosen-expert correctness", chosenRight.length, n);
    }
  }

  /**
   * Means over the splits.
   *
   * @param alpha α
   * @param splits splits
   * @param calibrationRows rows per calibration set
   * @param testRows rows per test set
   * @param coverage share of test rows whose set holds every correct expert
   * @param coverageSd its standard deviation across splits
   * @param meanSetSize mean set size
   * @param voteAccuracy accuracy of the set's vote
   * @param chosenAccuracy accuracy of the policy's single chosen expert on the same rows
   * @param riskControlFnr the risk-control sets' mean false-negative rate
   * @param riskControlSetSize the risk-control sets' mean size
   * @param riskControlVoteAccuracy accuracy of the risk-control sets' vote
   */
  public record Summary(
      double alpha,
      int splits,
      int calibrationRows,
      int testRows,
      double coverage,
      double coverageSd,
      double meanSetSize,
      double voteAccuracy,
      double chosenAccuracy,
      double riskControlFnr,
      double riskControlSetSize,
      double riskControlVoteAccuracy) {}

  /**
   * Runs the study.
   *
   * @param c the deferred cases
   * @param alpha α in (0, 1)
   * @param calibrationShare in (0, 1); the reference code uses 0.8
   * @param splits ≥ 1
   * @param seed seed of the shuffles
   * @throws IllegalArgumentException when a split leaves no calibration or no test row
   */
  public static Summary run(Cases c, double alpha, double calibrationShare, int splits, long seed) {
    SplitConformal.checkAlpha(alpha);
    Checks.checkPositive("splits", splits);
    int n = c.labels().length;
    int j = c.experts();
    int nCal = (int) Math.round(n * calibrationShare);
    int nTest = n - nCal;
    if (nCal < 1 || nTest < 1) {
      throw new IllegalArgumentException(
          n + " deferred rows leave no calibration or no test row at share " + calibrationShare);
    }
    SplittableRandom root = new SplittableRandom(seed);
    double[] cov = new double[splits];
    double size = 0;
    double vote = 0;
    double chosen = 0;
    double fnr = 0;
    double rcSize = 0;
    double rcVote = 0;
    int[] order = new int[n];
    for (int k = 0; k < splits; k++) {
      Sampling.permutation(order, root.split());
      int[] cal = Arrays.copyOf(order, nCal);
      ConformalEnsemble sc =
          ConformalEnsemble.calibrate(c.confidence(), c.correct(), j, cal, alpha);
      ConformalEnsemble rc =
          ConformalEnsemble.calibrateRiskControl(c.confidence(), c.correct(), j, cal, alpha);
      int covered = 0;
      for (int p = nCal; p < n; p++) {
        int i = order[p];
        int[] set = sc.set(c.confidence(), i);
        covered += ConformalEnsemble.covers(set, c.correct(), j, i) ? 1 : 0;
        size += set.length;
        int label = c.labels()[i];
        vote += label >= 0 && ConformalEnsemble.vote(set, c.answers(), j, i) == label ? 1 : 0;
        chosen += c.chosenRight()[i] ? 1 : 0;
        int[] r = rc.set(c.confidence(), i);
        rcSize += r.length;
        rcVote += label >= 0 && ConformalEnsemble.vote(r, c.answers(), j, i) == label ? 1 : 0;
        boolean[] in = new boolean[j];
        for (int e : r) {
          in[e] = true;
        }
        int right = 0;
        int missed = 0;
        for (int e = 0; e < j; e++) {
          if (c.correct()[i * j + e]) {
            right++;
            missed += in[e] ? 0 : 1;
          }
        }
        fnr += right == 0 ? 0 : (double) missed / right;
      }
      cov[k] = (double) covered / nTest;
    }
    double mean = Arrays.stream(cov).average().orElse(Double.NaN);
    double var = 0;
    for (double v : cov) {
      var += (v - mean) * (v - mean);
    }
    double m = (double) splits * nTest;
    return new Summary(
        alpha,
        splits,
        nCal,
        nTest,
        mean,
        splits > 1 ? Math.sqrt(var / (splits - 1)) : 0,
        size / m,
        vote / m,
        chosen / m,
        fnr / m,
        rcSize / m,
        rcVote / m);
  }
}
