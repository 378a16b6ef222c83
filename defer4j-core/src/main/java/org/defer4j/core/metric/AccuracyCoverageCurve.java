package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Decisions;

/**
 * The accuracy–coverage and cost–coverage curves of a rejection score (higher = more deferable,
 * e.g. 1 − the model's confidence, or a rejector's deferral margin).
 *
 * <p>Rows are sorted by ascending score; at coverage c the lowest-scored rows holding a share c of
 * the weight are kept by the model and every other row goes to its deferral target (one expert for
 * all rows, or a per-row choice such as a learned rejector's best expert). Rows with equal scores
 * cannot be separated by a threshold, so they move together: the curve has one point per distinct
 * score plus the end points, from coverage 0 (everything deferred) to coverage 1 (everything kept).
 * Each point gives the system accuracy and the mean system cost there, both weighted by the table's
 * weights when present. A preferred agent that is unavailable on a row is replaced by the first
 * available agent in index order, as in {@link Decisions}.
 *
 * <p>The areas under the curves are trapezoid integrals over coverage ∈ [0, 1]; the survey (§5.5)
 * asks L2D reports to show accuracy–coverage curves next to cost.
 */
public final class AccuracyCoverageCurve {

  /**
   * One operating point.
   *
   * @param coverage the share (of weight) kept by the model
   * @param accuracy the system accuracy there (NaN when correctness is unknown)
   * @param cost the mean system cost there
   */
  public record Point(double coverage, double accuracy, double cost) {}

  private final List<Point> points;
  private final double areaUnderAccuracy;
  private final double areaUnderCost;

  private AccuracyCoverageCurve(List<Point> points) {
    this.points = Collections.unmodifiableList(points);
    this.areaUnderAccuracy = trapezoid(points, true);
    this.areaUnderCost = trapezoid(points, false);
  }

  /**
   * The curve when every deferred row goes to one agent.
   *
   * @param costs the n × A cost matrix
   * @param rejectionScores n finite scores, higher = defer first
   * @param deferTo the agent that receives deferred rows (normally an expert, 1..J)
   * @param table the table for weights, or {@code null}
   */
  public static AccuracyCoverageCurve of(
      CostMatrix costs, double[] rejectionScores, int deferTo, DeferralTable table) {
    Checks.checkIndex("deferral target", deferTo, costs.agentCount());
    int[] targets = new int[costs.rows()];
    Arrays.fill(targets, deferTo);
    return of(costs, rejectionScores, targets, table);
  }

  /**
   * The curve with a per-row deferral target.
   *
   * @param costs the n × A cost matrix
   * @param rejectionScores n finite scores, higher = defer first
   * @param deferTo n agent indices that receive each row when it is deferred
   * @param table the table for weights, or {@code null}
   * @throws IllegalArgumentException on a length mismatch, a non-finite score or weight, an index
   *     out of range, or a row with no available agent
   */
  public static AccuracyCoverageCurve of(
      CostMatrix costs, double[] rejectionScores, int[] deferTo, DeferralTable table) {
    int n = costs.rows();
    Checks.checkDimension("rejection scores", rejectionScores.length, n);
    Checks.checkDimension("deferral targets", deferTo.length, n);
    Checks.checkAllFinite("rejection scores", rejectionScores);
    double[] w = DeferralMetrics.weights(table, n);
    if (n == 0) {
      return new AccuracyCoverageCurve(List.of());
    }
    int[] keep = new int[n];
    int[] defer = new int[n];
    for (int i = 0; i < n; i++) {
      Checks.checkIndex("deferral target of row " + i, deferTo[i], costs.agentCount());
      defer[i] = costs.available(i, deferTo[i]) ? deferTo[i] : Decisions.firstAvailable(costs, i);
    }
    double[] keepCost = new double[n];
    double[] deferCost = new double[n];
    double totalWeight = 0;
    double cost = 0;
    double correct = 0;
    int unknown = 0;
    for (int i = 0; i < n; i++) {
      keep[i] = costs.available(i, 0) ? 0 : Decisions.firstAvailable(costs, i);
      keepCost[i] = costs.cost(i, keep[i]);
      deferCost[i] = costs.cost(i, defer[i]);
      totalWeight += w[i];
      cost += w[i] * deferCost[i];
      byte k = costs.correct(i, defer[i]);
      if (k == CostMatrix.UNKNOWN) {
        unknown++;
      } else {
        correct += w[i] * k;
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(rejectionScores[x], rejectionScores[y]));
    List<Point> pts = new ArrayList<>();
    double kept = 0;
    pts.add(point(kept, correct, cost, unknown, totalWeight));
    int t = 0;
    while (t < n) {
      double s = rejectionScores[order[t]];
      while (t < n && rejectionScores[order[t]] == s) {
        int i = order[t];
        kept += w[i];
        cost += w[i] * (keepCost[i] - deferCost[i]);
        byte before = costs.correct(i, defer[i]);
        byte after = costs.correct(i, keep[i]);
        if (before == CostMatrix.UNKNOWN) {
          unknown--;
        } else {
          correct -= w[i] * before;
        }
        if (after == CostMatrix.UNKNOWN) {
          unknown++;
        } else {
          correct += w[i] * after;
        }
        t++;
      }
      pts.add(point(t == n ? totalWeight : kept, correct, cost, unknown, totalWeight));
    }
    return new AccuracyCoverageCurve(pts);
  }

  private static Point point(
      double kept, double correct, double cost, int unknown, double totalWeight) {
    if (!(totalWeight > 0)) {
      return new Point(Double.NaN, Double.NaN, Double.NaN);
    }
    double acc = unknown > 0 ? Double.NaN : correct / totalWeight;
    return new Point(kept / totalWeight, acc, cost / totalWeight);
  }

  private static double trapezoid(List<Point> pts, boolean accuracy) {
    if (pts.size() < 2) {
      return Double.NaN;
    }
    double area = 0;
    for (int k = 1; k < pts.size(); k++) {
      Point a = pts.get(k - 1);
      Point b = pts.get(k);
      double ya = accuracy ? a.accuracy() : a.cost();
      double yb = accuracy ? b.accuracy() : b.cost();
      area += (b.coverage() - a.coverage()) * 0.5 * (ya + yb);
    }
    return area;
  }

  /** The points, from coverage 0 to coverage 1; empty when the table has no row. */
  public List<Point> points() {
    return points;
  }

  /** The trapezoid area under accuracy(coverage) over [0, 1]; NaN when undefined. */
  public double areaUnderAccuracy() {
    return areaUnderAccuracy;
  }

  /** The trapezoid area under cost(coverage) over [0, 1]; NaN when undefined. */
  public double areaUnderCost() {
    return areaUnderCost;
  }
}
