package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;

/**
 * The quality–cost curve of a two-model router (RouteLLM, Ong et al. 2025, §5): system quality
 * (e.g. accuracy) against the share of calls sent to the strong, expensive model as a threshold on
 * the router's score sweeps from +∞ (every question to the weak model) to −∞ (every question to the
 * strong one). A higher score means "more worth sending to the strong model".
 *
 * <p>With n questions, weak quality w_i and strong quality s_i (1/0 correctness for accuracy, or
 * any bounded score such as a judge's grade), sending the set S to the strong model gives quality
 * (Σ_{i∈S} s_i + Σ_{i∉S} w_i) / n at call share |S|/n. Questions with equal scores cannot be
 * separated by a threshold and move together, so the curve has one point per distinct score plus
 * the start (0, W) and the end (1, S̄), where W and S̄ are the two models' mean qualities; between
 * points it is linear (the expected quality when a random subset of a tied block is sent).
 *
 * <p>Summaries, as RouteLLM's evaluation code computes them ({@code routellm/evals/evaluate.py}),
 * here on the exact curve over call share ∈ [0, 1] instead of ten quantile thresholds:
 *
 * <ul>
 *   <li><b>area</b> = ∫₀¹ q(p) dp (trapezoids; already normalised, since p ∈ [0, 1]);
 *   <li><b>APGR</b> (average performance gap recovered) = (area − W) / (S̄ − W): the area between
 *       the curve and the weak model's quality over the area between the strong and the weak
 *       model's; 0.5 for a random router, above 1 possible where the two models err on different
 *       questions;
 *   <li><b>CPT(x)</b> (call-performance threshold) = the smallest call share at which the curve
 *       reaches W + x·(S̄ − W), i.e. recovers a fraction x of the quality gap.
 * </ul>
 *
 * <p>Closed forms (tested): a random router that sends each question to the strong model with
 * probability p has expected quality W + p·(S̄ − W), the straight line ({@link #random}); its APGR
 * is 1/2 and CPT(x) = x. The oracle that knows every outcome and sends at most a share p of the
 * questions ({@link #oracle}) spends its calls on the largest positive gains s_i − w_i first; for
 * 1/0 accuracy with g questions that only the strong model gets right, its quality is W + min(p·n,
 * g)/n, its area W + q − q²/2 with q = g/n, and CPT(x) = x·(S̄ − W).
 *
 * <p>Questions are weighted equally (RouteLLM's benchmarks are unweighted).
 */
public final class QualityCostCurve {

  /**
   * One operating point.
   *
   * @param strongShare the share of questions sent to the strong model, in [0, 1]
   * @param quality the system's mean quality there
   * @param threshold the score threshold: questions with score ≥ threshold go to the strong model
   *     (+∞ at share 0; NaN for the closed-form random and oracle curves)
   */
  public record Point(double strongShare, double quality, double threshold) {}

  private final List<Point> points;
  private final double weak;
  private final double strong;
  private final double area;

  private QualityCostCurve(List<Point> points) {
    this.points = Collections.unmodifiableList(points);
    this.weak = points.get(0).quality();
    this.strong = points.get(points.size() - 1).quality();
    double a = 0;
    for (int k = 1; k < points.size(); k++) {
      Point p = points.get(k - 1);
      Point q = points.get(k);
      a += (q.strongShare() - p.strongShare()) * 0.5 * (p.quality() + q.quality());
    }
    this.area = a;
  }

  /**
   * The curve of a router's scores.
   *
   * @param scores n finite router scores, higher = send to the strong model first
   * @param weakQuality n finite qualities of the weak model's answers
   * @param strongQuality n finite qualities of the strong model's answers
   * @throws IllegalArgumentException when the lengths differ, n = 0, or a value is not finite
   */
  public static QualityCostCurve of(double[] scores, double[] weakQuality, double[] strongQuality) {
    int n = scores.length;
    checkQualities(n, weakQuality, strongQuality);
    Checks.checkAllFinite("router scores", scores);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(scores[y], scores[x]));
    double total = 0;
    for (double w : weakQuality) {
      total += w;
    }
    List<Point> pts = new ArrayList<>();
    pts.add(new Point(0.0, total / n, Double.POSITIVE_INFINITY));
    int t = 0;
    while (t < n) {
      double s = scores[order[t]];
      while (t < n && scores[order[t]] == s) {
        int i = order[t];
        total += strongQuality[i] - weakQuality[i];
        t++;
      }
      pts.add(new Point((double) t / n, total / n, s));
    }
    return new QualityCostCurve(pts);
  }

  /**
   * The curve of a router's scores on a cost matrix, with quality = correctness (1 right, 0 wrong)
   * of the weak and strong agents.
   *
   * @param costs the cost matrix (its correctness codes are used)
   * @param scores n router scores
   * @param weak the weak agent's index (normally 0, the model)
   * @param strong the strong agent's index
   * @throws IllegalArgumentException when a correctness is unknown on some row
   */
  public static QualityCostCurve of(CostMatrix costs, double[] scores, int weak, int strong) {
    double[][] q = correctness(costs, weak, strong);
    return of(scores, q[0], q[1]);
  }

  /**
   * The weak and strong agents' correctness, {weak[n], strong[n]}, from a cost matrix.
   *
   * @throws IllegalArgumentException when a correctness is unknown on some row
   */
  public static double[][] correctness(CostMatrix costs, int weak, int strong) {
    Checks.checkIndex("weak agent", weak, costs.agentCount());
    Checks.checkIndex("strong agent", strong, costs.agentCount());
    int n = costs.rows();
    double[] w = new double[n];
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      byte a = costs.correct(i, weak);
      byte b = costs.correct(i, strong);
      if (a == CostMatrix.UNKNOWN || b == CostMatrix.UNKNOWN) {
        throw new IllegalArgumentException(
            "row "
                + i
                + ": correctness of agent "
                + (a == CostMatrix.UNKNOWN ? weak : strong)
                + " is unknown; a quality–cost curve needs both agents' outcomes on every row");
      }
      w[i] = a;
      s[i] = b;
    }
    return new double[][] {w, s};
  }

  /**
   * The expected curve of a random router (each question to the strong model with probability p):
   * the straight line from (0, W) to (1, S̄).
   */
  public static QualityCostCurve random(double weakQuality, double strongQuality) {
    Checks.checkFinite("weak quality", weakQuality);
    Checks.checkFinite("strong quality", strongQuality);
    return new QualityCostCurve(
        List.of(
            new Point(0.0, weakQuality, Double.NaN), new Point(1.0, strongQuality, Double.NaN)));
  }

  /**
   * The oracle's curve: knowing every outcome and allowed at most a share p of strong calls, it
   * sends the questions with the largest positive gains s_i − w_i first and never one whose gain is
   * ≤ 0. Quality W + (sum of the ⌊p·n⌋ largest positive gains)/n, linear between integers; for 1/0
   * accuracy W + min(p·n, g)/n.
   *
   * @throws IllegalArgumentException when the lengths differ, n = 0, or a value is not finite
   */
  public static QualityCostCurve oracle(double[] weakQuality, double[] strongQuality) {
    int n = weakQuality.length;
    checkQualities(n, weakQuality, strongQuality);
    double total = 0;
    double[] gains = new double[n];
    int positive = 0;
    for (int i = 0; i < n; i++) {
      total += weakQuality[i];
      double g = strongQuality[i] - weakQuality[i];
      if (g > 0) {
        gains[positive++] = g;
      }
    }
    double[] pos = Arrays.copyOf(gains, positive);
    Arrays.sort(pos);
    List<Point> pts = new ArrayList<>();
    pts.add(new Point(0.0, total / n, Double.NaN));
    for (int k = positive - 1; k >= 0; k--) {
      total += pos[k];
      // Equal gains give collinear points: keep only the last of each run.
      if (k == 0 || pos[k - 1] != pos[k]) {
        pts.add(new Point((double) (positive - k) / n, total / n, Double.NaN));
      }
    }
    if (positive < n) {
      pts.add(new Point(1.0, total / n, Double.NaN));
    }
    return new QualityCostCurve(pts);
  }

  private static void checkQualities(int n, double[] weak, double[] strong) {
    if (n == 0) {
      throw new IllegalArgumentException("a quality–cost curve needs at least one question");
    }
    Checks.checkDimension("weak qualities", weak.length, n);
    Checks.checkDimension("strong qualities", strong.length, n);
    Checks.checkAllFinite("weak qualities", weak);
    Checks.checkAllFinite("strong qualities", strong);
  }

  /** The points, by increasing strong share, from share 0 to share 1. */
  public List<Point> points() {
    return points;
  }

  /** W: the quality with every question on the weak model (the curve at share 0). */
  public double weakQuality() {
    return weak;
  }

  /**
   * The quality at the curve's last point (share 1: every question on the strong model, for a
   * router's curve and the random line; the oracle's best quality for {@link #oracle}).
   */
  public double endQuality() {
    return strong;
  }

  /** ∫₀¹ q(p) dp, the area under the curve over call share [0, 1]. */
  public double area() {
    return area;
  }

  /**
   * The quality at a call share, by linear interpolation between points.
   *
   * @throws IllegalArgumentException when the share is outside [0, 1]
   */
  public double qualityAt(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("call share " + share + " is not in [0, 1]");
    }
    for (int k = 1; k < points.size(); k++) {
      Point b = points.get(k);
      if (share <= b.strongShare()) {
        Point a = points.get(k - 1);
        double span = b.strongShare() - a.strongShare();
        return span == 0
            ? b.quality()
            : a.quality() + (share - a.strongShare()) / span * (b.quality() - a.quality());
      }
    }
    return strong;
  }

  /**
   * APGR = (area − W) / (S̄ − W), with S̄ the strong model's quality given by the caller (the
   * oracle's curve does not end at it).
   *
   * @return NaN when S̄ = W (no gap to recover)
   */
  public double apgr(double strongQuality) {
    double gap = strongQuality - weak;
    return gap == 0 ? Double.NaN : (area - weak) / gap;
  }

  /** APGR against this curve's own end point (a router's curve or the random line). */
  public double apgr() {
    return apgr(strong);
  }

  /**
   * CPT(x): the smallest call share at which the curve reaches W + x·(S̄ − W), by linear
   * interpolation; S̄ is given by the caller.
   *
   * @param fraction x ∈ [0, 1]
   * @param strongQuality S̄
   * @return the share, or NaN when S̄ ≤ W or the curve never reaches the target
   */
  public double callsToRecover(double fraction, double strongQuality) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("gap fraction " + fraction + " is not in [0, 1]");
    }
    if (!(strongQuality > weak)) {
      return Double.NaN;
    }
    double target = weak + fraction * (strongQuality - weak);
    if (weak >= target) {
      return 0.0;
    }
    for (int k = 1; k < points.size(); k++) {
      Point a = points.get(k - 1);
      Point b = points.get(k);
      if (b.quality() >= target) {
        // a.quality() < target here, otherwise the previous segment would have returned.
        return a.strongShare()
            + (target - a.quality())
                / (b.quality() - a.quality())
                * (b.strongShare() - a.strongShare());
      }
    }
    return Double.NaN;
  }

  /** CPT(x) against this curve's own end point. */
  public double callsToRecover(double fraction) {
    return callsToRecover(fraction, strong);
  }

  /**
   * The point of least cost (1 − quality) + fee · share: the operating point a consultation fee (in
   * units of one wrong answer per strong call) selects; ties go to the smaller share.
   */
  public Point cheapest(double fee) {
    Checks.checkFinite("fee", fee);
    Point best = points.get(0);
    for (Point p : points) {
      if (fee * p.strongShare() - p.quality() < fee * best.strongShare() - best.quality() - 1e-12) {
        best = p;
      }
    }
    return best;
  }

  /**
   * The point of a router's curve at a score threshold chosen elsewhere (e.g. on a validation set):
   * every question with score ≥ θ goes to the strong model.
   *
   * @throws IllegalStateException on a curve without thresholds (random, oracle)
   */
  public Point atThreshold(double theta) {
    if (!Double.isInfinite(points.get(0).threshold())) {
      throw new IllegalStateException("this curve has no score thresholds");
    }
    Point at = points.get(0);
    for (Point p : points) {
      if (p.threshold() >= theta) {
        at = p;
      } else {
        break;
      }
    }
    return at;
  }
}
