package org.defer4j.core.conformal;

import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.math.Sampling;

/**
 * Repeated random calibration/test splits of one labelled table for {@link ConformalDeferral}: per
 * split the rows are shuffled, the first share calibrates q̂ and the rest are tested; the summary
 * averages over the splits. Split k uses the k-th split of a {@link SplittableRandom} seeded with
 * {@code seed}.
 */
public final class ConformalStudy {
  private ConformalStudy() {}

  /**
   * The per-row facts a study needs.
   *
   * @param pExpert p̂(x), the policy's estimate that the expert is right
   * @param expertCorrect whether the expert was right
   * @param modelCorrect whether the model was right
   * @param agree whether the model and the expert gave the same answer (consensus)
   * @param policyCorrect whether the policy's own choice was right (the baseline accuracy)
   */
  public record Cases(
      double[] pExpert,
      boolean[] expertCorrect,
      boolean[] modelCorrect,
      boolean[] agree,
      boolean[] policyCorrect) {
    /** Checks the lengths. */
    public Cases {
      int n = pExpert.length;
      Checks.checkDimension("expert correctness", expertCorrect.length, n);
      Checks.checkDimension("model correctness", modelCorrect.length, n);
      Checks.checkDimension("agreement", agree.length, n);
      Checks.checkDimension("policy correctness", policyCorrect.length, n);
    }

    int rows() {
      return pExpert.length;
    }
  }

  /**
   * What the splits gave, means over splits unless said otherwise.
   *
   * @param alpha α
   * @param splits number of splits
   * @param calibrationRows rows per calibration set
   * @param testRows rows per test set
   * @param coverage mean empirical coverage P(b ∈ S(x)) on the test rows
   * @param coverageSd standard deviation of the coverage across splits
   * @param coverageMin smallest coverage of a split
   * @param binomialSd √(α(1 − α)/n_test), the sampling error of one split's coverage at exactly 1 −
   *     α
   * @param meanSetSize mean |S(x)|
   * @param shareModel share of sets {model}
   * @param shareExpert share of sets {expert}
   * @param shareBoth share of ambiguous sets
   * @param policyAccuracy accuracy of the policy's own decisions on the test rows
   * @param abstentionAnswered share answered under abstention
   * @param abstentionAccuracy accuracy on the answered rows under abstention
   * @param consensusAnswered share answered under consensus
   * @param consensusAccuracy accuracy on the answered rows under consensus
   */
  public record Summary(
      double alpha,
      int splits,
      int calibrationRows,
      int testRows,
      double coverage,
      double coverageSd,
      double coverageMin,
      double binomialSd,
      double meanSetSize,
      double shareModel,
      double shareExpert,
      double shareBoth,
      double policyAccuracy,
      double abstentionAnswered,
      double abstentionAccuracy,
      double consensusAnswered,
      double consensusAccuracy) {}

  /**
   * Runs the study.
   *
   * @param cases the rows
   * @param alpha α in (0, 1)
   * @param calibrationShare share of rows that calibrate, in (0, 1)
   * @param splits number of splits ≥ 1
   * @param seed seed of the shuffles
   * @throws IllegalArgumentException when a split leaves no calibration or no test row
   */
  public static Summary run(
      Cases cases, double alpha, double calibrationShare, int splits, long seed) {
    SplitConformal.checkAlpha(alpha);
    Checks.checkPositive("splits", splits);
    if (!(calibrationShare > 0 && calibrationShare < 1)) {
      throw new IllegalArgumentException(
          "calibration share must lie in (0, 1), got " + calibrationShare);
    }
    int n = cases.rows();
    int nCal = (int) Math.round(n * calibrationShare);
    int nTest = n - nCal;
    if (nCal < 1 || nTest < 1) {
      throw new IllegalArgumentException(
          n + " rows leave no calibration or no test row at share " + calibrationShare);
    }
    int[] order = new int[n];
    int[] cal = new int[nCal];
    SplittableRandom root = new SplittableRandom(seed);
    double[] cov = new double[splits];
    double size = 0;
    double m = 0;
    double e = 0;
    double both = 0;
    double base = 0;
    double absAns = 0;
    double absAcc = 0;
    double conAns = 0;
    double conAcc = 0;
    for (int k = 0; k < splits; k++) {
      Sampling.permutation(order, root.split());
      System.arraycopy(order, 0, cal, 0, nCal);
      ConformalDeferral cd =
          ConformalDeferral.calibrate(cases.pExpert(), cases.expertCorrect(), cal, alpha);
      int covered = 0;
      int sizes = 0;
      int cm = 0;
      int ce = 0;
      int cb = 0;
      int right = 0;
      int aAns = 0;
      int aRight = 0;
      int cAns = 0;
      int cRight = 0;
      for (int t = nCal; t < n; t++) {
        int i = order[t];
        int s = cd.set(cases.pExpert()[i]);
        covered += ConformalDeferral.covers(s, cases.expertCorrect()[i]) ? 1 : 0;
        sizes += ConformalDeferral.size(s);
        right += cases.policyCorrect()[i] ? 1 : 0;
        if (s == ConformalDeferral.MODEL) {
          cm++;
          aAns++;
          cAns++;
          aRight += cases.modelCorrect()[i] ? 1 : 0;
          cRight += cases.modelCorrect()[i] ? 1 : 0;
        } else if (s == ConformalDeferral.EXPERT) {
          ce++;
          aAns++;
          cAns++;
          aRight += cases.expertCorrect()[i] ? 1 : 0;
          cRight += cases.expertCorrect()[i] ? 1 : 0;
        } else {
          cb++;
          if (cases.agree()[i]) {
            cAns++;
            cRight += cases.modelCorrect()[i] ? 1 : 0;
          }
        }
      }
      cov[k] = (double) covered / nTest;
      size += (double) sizes / nTest;
      m += (double) cm / nTest;
      e += (double) ce / nTest;
      both += (double) cb / nTest;
      base += (double) right / nTest;
      absAns += (double) aAns / nTest;
      absAcc += aAns == 0 ? Double.NaN : (double) aRight / aAns;
      conAns += (double) cAns / nTest;
      conAcc += cAns == 0 ? Double.NaN : (double) cRight / cAns;
    }
    double mean = 0;
    double min = Double.POSITIVE_INFINITY;
    for (double c : cov) {
      mean += c;
      min = Math.min(min, c);
    }
    mean /= splits;
    double var = 0;
    for (double c : cov) {
      var += (c - mean) * (c - mean);
    }
    double sd = splits > 1 ? Math.sqrt(var / (splits - 1)) : 0;
    return new Summary(
        alpha,
        splits,
        nCal,
        nTest,
        mean,
        sd,
        min,
        Math.sqrt(alpha * (1 - alpha) / nTest),
        size / splits,
        m / splits,
        e / splits,
        both / splits,
        base / splits,
        absAns / splits,
        absAcc / splits,
        conAns / splits,
        conAcc / splits);
  }
}
