package org.defer4j.core.metric;

import java.util.List;

/**
 * What one entry of an {@link Evaluator} — a learned policy, a baseline or a reference such as the
 * oracle — achieved on the table, scored under the evaluation task. Means and shares are weighted
 * by the table's {@code weight} column when it has one; a quantity over no rows is NaN.
 *
 * @param name the entry's name
 * @param kind learned, baseline or reference
 * @param report everything {@link DeferralMetrics} reports: system accuracy, mean cost, coverage,
 *     allocation, the model's accuracy on the cases it kept, each expert's accuracy on the cases
 *     deferred to it, fallbacks, per group
 * @param cost the mean cost split into its error and fee parts
 * @param workload per agent in index order (the model first: the cases it kept), the cases it
 *     received and how it did on them
 * @param accuracyInterval the bootstrap interval of the system accuracy (NaN bounds when accuracy
 *     is unknown or no resample was asked for)
 * @param costInterval the bootstrap interval of the mean cost
 * @param costDifference the paired bootstrap interval of this entry's mean cost minus the best
 *     baseline's (negative: cheaper than the best baseline; exactly 0 for the best baseline
 *     itself); null when the evaluation has no baseline
 * @param accuracyDifference the same for system accuracy (positive: more accurate); null when the
 *     evaluation has no baseline
 * @param marginCurve for a learned entry with margins, the accuracy– and cost–coverage curve of its
 *     own deferral margin; else null
 * @param oracleCurve the oracle's coverage curve on this entry's cost matrix
 * @param randomCurve the expected curve of random deferral on this entry's cost matrix
 * @param multiTask per-task metrics for multi-task tasks (null otherwise, and for one-stage entries
 *     whose decisions carry no model answers)
 * @param notes what the reader must know about this entry, e.g. that it was trained under other
 *     fees
 */
public record PolicyResult(
    String name,
    Evaluator.Kind kind,
    DeferralReport report,
    CostSplit cost,
    List<Workload> workload,
    Bootstrap.Interval accuracyInterval,
    Bootstrap.Interval costInterval,
    Bootstrap.Interval costDifference,
    Bootstrap.Interval accuracyDifference,
    AccuracyCoverageCurve marginCurve,
    AccuracyCoverageCurve oracleCurve,
    AccuracyCoverageCurve randomCurve,
    MultiTaskMetrics.Result multiTask,
    List<String> notes) {

  /** Copies the lists. */
  public PolicyResult {
    workload = List.copyOf(workload);
    notes = List.copyOf(notes);
  }

  /**
   * The mean system cost and its two parts: with β_r the fee of the agent chosen for a case and c_r
   * its cost, fee = Σ w β_r / Σ w and error = Σ w (c_r − β_r) / Σ w, so total = error + fee (up to
   * rounding).
   *
   * @param total the mean system cost
   * @param error the mean error part α·ρ
   * @param fee the mean consultation fee paid
   */
  public record CostSplit(double total, double error, double fee) {}

  /**
   * The cases one agent received.
   *
   * @param agent the agent's name
   * @param cases how many cases (rows, unweighted)
   * @param share their share of the weight (the allocation)
   * @param accuracy the agent's accuracy on them (NaN when none or unknown)
   * @param meanCost their mean cost (NaN when none)
   */
  public record Workload(String agent, int cases, double share, double accuracy, double meanCost) {}

  /** The mean system cost. */
  public double meanCost() {
    return report.meanCost();
  }

  /** The system accuracy. */
  public double systemAccuracy() {
    return report.systemAccuracy();
  }

  /** The share of cases kept by the model. */
  public double coverage() {
    return report.coverage();
  }

  /** The workload of the named agent. */
  public Workload workload(String agent) {
    for (Workload w : workload) {
      if (w.agent().equals(agent)) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "no agent '" + agent + "'; agents are " + workload.stream().map(Workload::agent).toList());
  }
}
