package org.defer4j.core.metric;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
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
 * weights when present. In {@link #of} a preferred agent that is unavailable on a row is replaced
 * by the first available agent in index order, as in {@link Decisions}, and coverage counts the
 * rows assigned to the model; the curves of an {@link Evaluator} instead keep the rows the model
 * cannot take deferred (and the rows no expert can take kept) at every point, so that their
 * coverage is the share the model really answers (see {@link EvaluationResult}).
 *
 * <p>The areas under the curves are trapezoid integrals over the curve's coverage span ([0, 1] in
 * {@link #of}); the survey (§5.5) asks L2D reports to show accuracy–coverage curves next to cost.
 * Points are held in primitive arrays (a curve of a million rows costs three arrays, not a million
 * objects); {@link #points()} is a view over them.
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

  /** Row states of {@link #sweep}: moves from deferred to kept as the threshold rises. */
  static final byte MOVABLE = 0;

  /** Row state of {@link #sweep}: kept by the model at every point. */
  static final byte KEPT = 1;

  /** Row state of {@link #sweep}: deferred at every point. */
  static final byte DEFERRED = 2;

  private final double[] coverage;
  private final double[] accuracy;
  private final double[] cost;
  private final double areaUnderAccuracy;
  private final double areaUnderCost;

  private AccuracyCoverageCurve(double[] coverage, double[] accuracy, double[] cost) {
    this.coverage = coverage;
    this.accuracy = accuracy;
    this.cost = cost;
    this.areaUnderAccuracy = trapezoid(coverage, accuracy);
    this.areaUnderCost = trapezoid(coverage, cost);
  }

  /** A curve through the given points (arrays owned by the curve), in increasing coverage. */
  static AccuracyCoverageCurve ofPoints(double[] coverage, double[] accuracy, double[] cost) {
    return new AccuracyCoverageCurve(coverage, accuracy, cost);
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
    double[] keepCost = new double[n];
    double[] deferCost = new double[n];
    byte[] keepCorrect = new byte[n];
    byte[] deferCorrect = new byte[n];
    for (int i = 0; i < n; i++) {
      Checks.checkIndex("deferral target of row " + i, deferTo[i], costs.agentCount());
      int defer = costs.available(i, deferTo[i]) ? deferTo[i] : Decisions.firstAvailable(costs, i);
      int keep = costs.available(i, 0) ? 0 : Decisions.firstAvailable(costs, i);
      keepCost[i] = costs.cost(i, keep);
      keepCorrect[i] = costs.correct(i, keep);
      deferCost[i] = costs.cost(i, defer);
      deferCorrect[i] = costs.correct(i, defer);
    }
    return sweep(n, w, keepCost, keepCorrect, deferCost, deferCorrect, null, rejectionScores);
  }

  /**
   * The exact sweep behind every curve: rows start deferred (or in their fixed state), and the
   * movable rows are kept in ascending key order, ties together, one point after each distinct key.
   * Sorts once (a radix sort of the keys), then one pass.
   *
   * @param n rows
   * @param w n weights, or null for unit weights
   * @param keepCost the cost of each row when kept
   * @param keepCorrect its correctness code when kept
   * @param deferCost the cost of each row when deferred
   * @param deferCorrect its correctness code when deferred
   * @param state each row's {@link #MOVABLE}, {@link #KEPT} or {@link #DEFERRED}; null = all
   *     movable
   * @param keys the sort key of each row (read for movable rows only; not NaN)
   */
  static AccuracyCoverageCurve sweep(
      int n,
      double[] w,
      double[] keepCost,
      byte[] keepCorrect,
      double[] deferCost,
      byte[] deferCorrect,
      byte[] state,
      double[] keys) {
    if (n == 0) {
      return new AccuracyCoverageCurve(new double[0], new double[0], new double[0]);
    }
    double total = 0;
    double kept = 0;
    double cost = 0;
    double correct = 0;
    int unknown = 0;
    int movable = 0;
    boolean fixedDeferred = false;
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      double wi = w == null ? 1.0 : w[i];
      total += wi;
      byte s = state == null ? MOVABLE : state[i];
      byte k;
      if (s == KEPT) {
        kept += wi;
        cost += wi * keepCost[i];
        k = keepCorrect[i];
      } else {
        if (s == MOVABLE) {
          rows[movable++] = i;
        } else {
          fixedDeferred = true;
        }
        cost += wi * deferCost[i];
        k = deferCorrect[i];
      }
      if (k == CostMatrix.UNKNOWN) {
        unknown++;
      } else {
        correct += wi * k;
      }
    }
    int[] order = RowOrder.ascending(keys, rows, movable);
    double[] cov = new double[movable + 1];
    double[] acc = new double[movable + 1];
    double[] cst = new double[movable + 1];
    int p = 0;
    set(cov, acc, cst, p++, kept, correct, cost, unknown, total);
    int t = 0;
    while (t < movable) {
      double s = keys[order[t]] + 0.0;
      while (t < movable && keys[order[t]] + 0.0 == s) {
        int i = order[t];
        double wi = w == null ? 1.0 : w[i];
        kept += wi;
        cost += wi * (keepCost[i] - deferCost[i]);
        byte before = deferCorrect[i];
        byte after = keepCorrect[i];
        if (before == CostMatrix.UNKNOWN) {
          unknown--;
        } else {
          correct -= wi * before;
        }
        if (after == CostMatrix.UNKNOWN) {
          unknown++;
        } else {
          correct += wi * after;
        }
        t++;
      }
      // Every row kept: coverage exactly 1, not a rounded sum of weights.
      set(
          cov,
          acc,
          cst,
          p++,
          t == movable && !fixedDeferred ? total : kept,
          correct,
          cost,
          unknown,
          total);
    }
    return new AccuracyCoverageCurve(
        Arrays.copyOf(cov, p), Arrays.copyOf(acc, p), Arrays.copyOf(cst, p));
  }

  private static void set(
      double[] cov,
      double[] acc,
      double[] cst,
      int p,
      double kept,
      double correct,
      double cost,
      int unknown,
      double totalWeight) {
    if (!(totalWeight > 0)) {
      cov[p] = Double.NaN;
      acc[p] = Double.NaN;
      cst[p] = Double.NaN;
      return;
    }
    cov[p] = kept / totalWeight;
    acc[p] = unknown > 0 ? Double.NaN : correct / totalWeight;
    cst[p] = cost / totalWeight;
  }

  private static double trapezoid(double[] x, double[] y) {
    if (x.length < 2) {
      return Double.NaN;
    }
    double area = 0;
    for (int k = 1; k < x.length; k++) {
      area += (x[k] - x[k - 1]) * 0.5 * (y[k - 1] + y[k]);
    }
    return area;
  }

  /** The points, from the lowest coverage to the highest; empty when the table has no row. */
  public List<Point> points() {
    return new PointList();
  }

  /**
   * At most {@code maxPoints} of the points, for charts: the first and the last, and between them
   * the vertex nearest to each of {@code maxPoints − 2} evenly spaced coverages (fewer where
   * several targets fall on one vertex). All points when the curve has no more.
   *
   * @throws IllegalArgumentException when {@code maxPoints < 2}
   */
  public List<Point> points(int maxPoints) {
    if (maxPoints < 2) {
      throw new IllegalArgumentException("a chart needs at least 2 points, got " + maxPoints);
    }
    int m = coverage.length;
    if (m <= maxPoints) {
      return points();
    }
    double lo = coverage[0];
    double hi = coverage[m - 1];
    int[] pick = new int[maxPoints];
    int c = 0;
    pick[c++] = 0;
    for (int k = 1; k < maxPoints - 1; k++) {
      int v = nearest(lo + (hi - lo) * k / (maxPoints - 1));
      if (v > pick[c - 1] && v < m - 1) {
        pick[c++] = v;
      }
    }
    pick[c++] = m - 1;
    Point[] out = new Point[c];
    for (int k = 0; k < c; k++) {
      out[k] = point(pick[k]);
    }
    return List.of(out);
  }

  private int nearest(double x) {
    int k = Arrays.binarySearch(coverage, x);
    if (k >= 0) {
      return k;
    }
    int hiIdx = -k - 1;
    if (hiIdx == 0) {
      return 0;
    }
    if (hiIdx >= coverage.length) {
      return coverage.length - 1;
    }
    return x - coverage[hiIdx - 1] <= coverage[hiIdx] - x ? hiIdx - 1 : hiIdx;
  }

  /** The number of points. */
  public int size() {
    return coverage.length;
  }

  /** Point {@code k} (0 = the lowest coverage). */
  public Point point(int k) {
    return new Point(coverage[k], accuracy[k], cost[k]);
  }

  /**
   * The curve at a coverage, by linear interpolation between its points (the expected accuracy and
   * cost of keeping a random part of a tied block); all NaN outside the curve's span.
   */
  public Point at(double c) {
    int m = coverage.length;
    if (m == 0 || !(c >= coverage[0] && c <= coverage[m - 1])) {
      return new Point(c, Double.NaN, Double.NaN);
    }
    int k = Arrays.binarySearch(coverage, c);
    if (k >= 0) {
      // The last of equal coverages: the point after a zero-weight block.
      while (k + 1 < m && coverage[k + 1] == c) {
        k++;
      }
      return point(k);
    }
    int hiIdx = -k - 1;
    int loIdx = hiIdx - 1;
    double f = (c - coverage[loIdx]) / (coverage[hiIdx] - coverage[loIdx]);
    return new Point(
        c,
        accuracy[loIdx] + f * (accuracy[hiIdx] - accuracy[loIdx]),
        cost[loIdx] + f * (cost[hiIdx] - cost[loIdx]));
  }

  /** The trapezoid area under accuracy(coverage) over the curve's span; NaN when undefined. */
  public double areaUnderAccuracy() {
    return areaUnderAccuracy;
  }

  /** The trapezoid area under cost(coverage) over the curve's span; NaN when undefined. */
  public double areaUnderCost() {
    return areaUnderCost;
  }

  /** Identical points. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AccuracyCoverageCurve c
        && Arrays.equals(coverage, c.coverage)
        && Arrays.equals(accuracy, c.accuracy)
        && Arrays.equals(cost, c.cost);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(coverage) + Arrays.hashCode(cost);
  }

  @Override
  public String toString() {
    return "AccuracyCoverageCurve["
        + coverage.length
        + " points, area under accuracy "
        + areaUnderAccuracy
        + ", area under cost "
        + areaUnderCost
        + "]";
  }

  /** Read-only view of the points. */
  private final class PointList extends AbstractList<Point> implements RandomAccess {
    @Override
    public Point get(int k) {
      Checks.checkIndex("point", k, coverage.length);
      return point(k);
    }

    @Override
    public int size() {
      return coverage.length;
    }
  }
}
