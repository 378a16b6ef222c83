package org.defer4j.core.conformal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.defer4j.core.Checks;
import org.defer4j.core.policy.Decision;

/**
 * Conformal ensembles of experts (Verma, Barrejón &amp; Nalisnick, AISTATS 2023; the procedure as
 * the authors' code {@code rajevv/Multi_L2D} runs it, METHODS-2 C2): for a deferred case, the
 * smallest prefix of the experts sorted by the policy's confidence π_j(x) (descending) that covers
 * every correct expert with probability ≥ 1 − α, answered by their vote.
 *
 * <p><b>Split conformal.</b> Calibrated on deferred cases only. Score of a calibration case: the
 * cumulative sum of the sorted π up to and including the lowest-ranked correct expert (Σ of all π
 * when none is correct); q̂ is the split-conformal quantile of the scores; the set of a test case
 * is the longest prefix whose cumulative π stays ≤ q̂ (at least the top expert: an empty set is
 * widened to it). Guarantee: P(every correct expert ∈ S(X)) ≥ 1 − α, marginally over deferred
 * cases, the policy fixed.
 *
 * <p><b>Conformal risk control</b> (Angelopoulos et al. 2024; the regularised variant of the same
 * code, here with its transform's β = 0): S_λ(x) = {j : π_j(x) ≥ λ}, with the false-negative rate
 * FNR_i(λ) = share of row i's correct experts missing from S_λ (0 when none is correct); λ̂ is the
 * largest λ of a 1500-point grid on [0, 1] with (n/(n + 1))·mean FNR(λ) + 1/(n + 1) ≤ α, so that
 * E[FNR] ≤ α.
 */
public final class ConformalEnsemble {
  private final double alpha;
  private final double threshold;
  private final boolean riskControl;
  private final int experts;

  private ConformalEnsemble(double alpha, double threshold, boolean riskControl, int experts) {
    this.alpha = alpha;
    this.threshold = threshold;
    this.riskControl = riskControl;
    this.experts = experts;
  }

  /**
   * Split-conformal calibration on the given (deferred) rows.
   *
   * @param confidence π, row-major n × J
   * @param correct whether each expert was right, row-major n × J
   * @param experts J
   * @param rows calibration rows
   * @param alpha α in (0, 1)
   */
  public static ConformalEnsemble calibrate(
      double[] confidence, boolean[] correct, int experts, int[] rows, double alpha) {
    check(confidence, correct, experts);
    SplitConformal.checkAlpha(alpha);
    double[] s = new double[rows.length];
    Integer[] order = new Integer[experts];
    for (int r = 0; r < rows.length; r++) {
      int i = rows[r];
      sortDescending(confidence, i, experts, order);
      double cum = 0;
      double score = 0;
      boolean any = false;
      for (int k = 0; k < experts; k++) {
        int j = order[k];
        cum += confidence[i * experts + j];
        if (correct[i * experts + j]) {
          score = cum;
          any = true;
        }
      }
      s[r] = any ? score : cum;
    }
    return new ConformalEnsemble(alpha, SplitConformal.quantile(s, alpha), false, experts);
  }

  /**
   * Conformal risk control of the false-negative rate on the given (deferred) rows.
   *
   * @see #calibrate
   */
  public static ConformalEnsemble calibrateRiskControl(
      double[] confidence, boolean[] correct, int experts, int[] rows, double alpha) {
    check(confidence, correct, experts);
    SplitConformal.checkAlpha(alpha);
    int n = rows.length;
    int grid = 1500;
    double best = 0;
    for (int g = 0; g < grid; g++) {
      double lambda = (double) g / (grid - 1);
      double fnr = 0;
      for (int i : rows) {
        int right = 0;
        int missed = 0;
        for (int j = 0; j < experts; j++) {
          if (correct[i * experts + j]) {
            right++;
            if (confidence[i * experts + j] < lambda) {
              missed++;
            }
          }
        }
        fnr += right == 0 ? 0 : (double) missed / right;
      }
      double bound = n == 0 ? 1 : (n / (n + 1.0)) * (fnr / n) + 1.0 / (n + 1);
      if (bound <= alpha) {
        best = lambda;
      } else {
        // The risk grows with λ: the first failure ends the search.
        break;
      }
    }
    return new ConformalEnsemble(alpha, best, true, experts);
  }

  /** α. */
  public double alpha() {
    return alpha;
  }

  /** q̂ (split conformal) or λ̂ (risk control). */
  public double threshold() {
    return threshold;
  }

  /** Whether this is the risk-control variant. */
  public boolean riskControl() {
    return riskControl;
  }

  /** The set of row i: expert indices (0-based among the experts), most confident first. */
  public int[] set(double[] confidence, int i) {
    Integer[] order = new Integer[experts];
    sortDescending(confidence, i, experts, order);
    List<Integer> out = new ArrayList<>();
    double cum = 0;
    for (int k = 0; k < experts; k++) {
      int j = order[k];
      double p = confidence[i * experts + j];
      if (riskControl) {
        if (p >= threshold) {
          out.add(j);
        }
      } else {
        cum += p;
        if (cum <= threshold) {
          out.add(j);
        } else {
          break;
        }
      }
    }
    if (out.isEmpty()) {
      out.add(order[0]);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Whether the set holds every correct expert of row i. */
  public static boolean covers(int[] set, boolean[] correct, int experts, int i) {
    boolean[] in = new boolean[experts];
    for (int k : set) {
      in[k] = true;
    }
    for (int j = 0; j < experts; j++) {
      if (correct[i * experts + j] && !in[j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The ensemble's answer: the most frequent class among the set's experts' answers, ties to the
   * class of the more confident expert; −1 when no member answered.
   *
   * @param set the set (most confident first)
   * @param answers each expert's class per row, row-major n × J (−1: no answer)
   */
  public static int vote(int[] set, int[] answers, int experts, int i) {
    int best = -1;
    int bestCount = 0;
    for (int a = 0; a < set.length; a++) {
      int c = answers[i * experts + set[a]];
      if (c < 0) {
        continue;
      }
      int count = 0;
      for (int b = 0; b < set.length; b++) {
        count += answers[i * experts + set[b]] == c ? 1 : 0;
      }
      if (count > bestCount) {
        best = c;
        bestCount = count;
      }
    }
    return best;
  }

  /**
   * The set of a row as a decision of kind {@link Decision.Kind#SET} over the policy's agents
   * (expert j is agent j + 1).
   *
   * @param base the policy's decision for the row
   * @param set the row's set
   */
  public static Decision decision(Decision base, int[] set) {
    List<String> names = base.agentNames();
    List<String> chosen = new ArrayList<>();
    for (int j : set) {
      chosen.add(names.get(j + 1));
    }
    List<Decision.Reason> reasons = new ArrayList<>(base.reasons());
    for (int j = 0; j < names.size(); j++) {
      if (chosen.contains(names.get(j))) {
        reasons.set(j, Decision.Reason.CHOSEN);
      } else if (reasons.get(j) == Decision.Reason.CHOSEN) {
        reasons.set(j, Decision.Reason.RULE);
      }
    }
    return new Decision(
        base.id(),
        Decision.Kind.SET,
        chosen,
        names,
        base.scores(),
        base.expectedCosts(),
        reasons,
        base.fallback(),
        base.predictedClass(),
        base.predictedValue());
  }

  private static void sortDescending(double[] p, int i, int experts, Integer[] order) {
    for (int j = 0; j < experts; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> Double.compare(p[i * experts + b], p[i * experts + a]));
  }

  private static void check(double[] confidence, boolean[] correct, int experts) {
    Checks.checkPositive("experts", experts);
    Checks.checkDimension("correctness cells", correct.length, confidence.length);
    if (confidence.length % experts != 0) {
      throw new IllegalArgumentException(
          confidence.length + " confidences are not rows of " + experts + " experts");
    }
  }
}
