package org.defer4j.server.web;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The toy problem of the interactive page: 2-D points in the unit square, a fixed linear classifier
 * and a dense mixed pocket in the upper region where the classifier is right about half the time.
 *
 * <p>The classifier predicts class 1 ("cross") when {@code W1·x + W2·y + B > 0} and class 0
 * ("circle") otherwise. Background points are uniform on the square with the classifier's label,
 * flipped with probability {@link #BACKGROUND_NOISE}; pocket points are Gaussian around {@link
 * #POCKET_X}, {@link #POCKET_Y} (clipped to the square) with a fair coin as label. A seed fixes the
 * draw, so the page and the tests see the same points.
 */
public final class PocketProblem {
  /** Class names in index order. */
  public static final List<String> CLASSES = List.of("circle", "cross");

  /** Weight of x in the classifier's score. */
  public static final double W1 = 1.0;

  /** Weight of y in the classifier's score. */
  public static final double W2 = -0.3;

  /** Intercept of the classifier's score. */
  public static final double B = -0.35;

  /** Centre of the mixed pocket. */
  public static final double POCKET_X = 0.56;

  /** Centre of the mixed pocket. */
  public static final double POCKET_Y = 0.80;

  /** Standard deviation of the pocket in each coordinate. */
  public static final double POCKET_SD = 0.07;

  /** Probability that a background point's label disagrees with the classifier. */
  public static final double BACKGROUND_NOISE = 0.04;

  /** The seed of the page's default draw. */
  public static final long DEFAULT_SEED = 7L;

  /** One labelled point. */
  public record Point(double x, double y, int label) {
    /** Validates the label and the coordinates. */
    public Point {
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        throw new IllegalArgumentException("point coordinates must be finite, got " + x + ", " + y);
      }
      if (label != 0 && label != 1) {
        throw new IllegalArgumentException("point label must be 0 or 1, got " + label);
      }
    }
  }

  private PocketProblem() {}

  /** The fixed classifier's class for a point. */
  public static int classify(double x, double y) {
    return W1 * x + W2 * y + B > 0 ? 1 : 0;
  }

  /**
   * Draws the points.
   *
   * @param seed the seed
   * @param background number of uniform background points
   * @param pocket number of pocket points
   */
  public static List<Point> draw(long seed, int background, int pocket) {
    if (background < 0 || pocket < 0) {
      throw new IllegalArgumentException(
          "point counts must be >= 0, got " + background + " and " + pocket);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<Point> points = new ArrayList<>(background + pocket);
    for (int i = 0; i < background; i++) {
      double x = rng.nextDouble();
      double y = rng.nextDouble();
      int label = classify(x, y);
      if (rng.nextDouble() < BACKGROUND_NOISE) {
        label = 1 - label;
      }
      points.add(new Point(x, y, label));
    }
    for (int i = 0; i < pocket; i++) {
      double x = clip(POCKET_X + POCKET_SD * gaussian(rng));
      double y = clip(POCKET_Y + POCKET_SD * gaussian(rng));
      points.add(new Point(x, y, rng.nextBoolean() ? 1 : 0));
    }
    return points;
  }

  /** The page's points: 220 background and 90 pocket points from {@link #DEFAULT_SEED}. */
  public static List<Point> standard() {
    return draw(DEFAULT_SEED, 220, 90);
  }

  /**
   * Coverage and accuracy of the classifier on the points a region keeps.
   *
   * @param points the points
   * @param deferred per point, whether the region defers it
   * @return the counts; accuracy is NaN when every point is deferred
   */
  public static Readout readout(List<Point> points, boolean[] deferred) {
    if (deferred.length != points.size()) {
      throw new IllegalArgumentException(
          "deferred flags have length " + deferred.length + ", expected " + points.size());
    }
    int kept = 0;
    int correct = 0;
    for (int i = 0; i < deferred.length; i++) {
      if (!deferred[i]) {
        kept++;
        Point p = points.get(i);
        correct += classify(p.x(), p.y()) == p.label() ? 1 : 0;
      }
    }
    return new Readout(points.size(), points.size() - kept, correct);
  }

  /**
   * What the page shows for a region.
   *
   * @param points number of points
   * @param deferred number of deferred points
   * @param correct number of kept points the classifier gets right
   */
  public record Readout(int points, int deferred, int correct) {
    /** Fraction of points kept (not deferred); NaN when there are no points. */
    public double coverage() {
      return points == 0 ? Double.NaN : (points - deferred) / (double) points;
    }

    /** The classifier's accuracy on the kept points; NaN when none is kept. */
    public double accuracy() {
      int kept = points - deferred;
      return kept == 0 ? Double.NaN : correct / (double) kept;
    }
  }

  private static double gaussian(SplittableRandom rng) {
    // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
    double u = 1.0 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }

  private static double clip(double v) {
    return Math.min(1.0, Math.max(0.0, v));
  }
}
