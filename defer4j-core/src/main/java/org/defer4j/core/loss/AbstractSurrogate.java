package org.defer4j.core.loss;

import java.util.Arrays;
import java.util.Locale;
import org.defer4j.core.Checks;

/**
 * The checks every surrogate shares: shapes, finite scores, labels in range, a zeroed gradient
 * before the computation and a finite result after it. Subclasses implement {@link #compute}.
 */
abstract class AbstractSurrogate implements Surrogate {
  private final String name;
  private final ScoreLayout layout;

  AbstractSurrogate(String name, ScoreLayout layout) {
    this.name = name;
    this.layout = layout;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final ScoreLayout layout() {
    return layout;
  }

  /** The fewest classes the formula makes sense for. */
  int minClasses() {
    return 1;
  }

  /** Whether the formula supports more than one expert. */
  boolean multipleExperts() {
    return true;
  }

  /** Whether the target must carry a label. */
  boolean needsLabel() {
    return layout.hasClasses();
  }

  @Override
  public final double evaluate(double[] scores, Target target, double[] gradOut) {
    Checks.checkDimension(name + " gradient", gradOut.length, scores.length);
    int experts = target.experts();
    int classes = checkShape(scores, experts);
    if (needsLabel()) {
      int y = target.label();
      if (y < 0 || y >= classes) {
        throw new IllegalArgumentException(
            name + ": label " + y + " is outside [0, " + classes + ")");
      }
    }
    Arrays.fill(gradOut, 0.0);
    double loss = compute(scores, target, classes, experts, gradOut);
    boolean finite = Double.isFinite(loss);
    for (int i = 0; finite && i < gradOut.length; i++) {
      finite = Double.isFinite(gradOut[i]);
    }
    if (!finite) {
      Arrays.fill(gradOut, 0.0);
      throw new ArithmeticException(
          String.format(
              Locale.ROOT,
              "surrogate '%s' is not finite (loss %s) at scores %s for %s; links with q < 0"
                  + " and exponential margins overflow for large score gaps",
              name,
              loss,
              Arrays.toString(scores),
              target));
    }
    return loss;
  }

  /**
   * Checks the score vector and returns K (0 for layouts without classes).
   *
   * @throws IllegalArgumentException on a shape mismatch or a non-finite score
   */
  final int checkShape(double[] scores, int experts) {
    if (experts > 1 && !multipleExperts()) {
      throw new IllegalArgumentException(
          name + " is defined for a single expert, got " + experts + " experts");
    }
    int classes = 0;
    if (layout.hasClasses()) {
      classes = scores.length - layout.scoreCount(0, experts);
      if (classes < minClasses()) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s: %d scores leave %d classes for %d experts; layout %s needs at least %d",
                name,
                scores.length,
                classes,
                experts,
                layout,
                minClasses()));
      }
    } else {
      Checks.checkDimension(name + " scores", scores.length, layout.scoreCount(0, experts));
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s: score %d must be finite, got %s (scores %s)",
                name,
                i,
                scores[i],
                Arrays.toString(scores)));
      }
    }
    return classes;
  }

  /**
   * Computes the loss into a zeroed {@code grad}.
   *
   * @param classes K (0 for layouts without classes)
   * @param experts J
   */
  abstract double compute(double[] s, Target t, int classes, int experts, double[] grad);

  /** Index of the largest entry of {@code x[from, to)} (lowest index on ties). */
  static int argmax(double[] x, int from, int to) {
    int best = from;
    for (int i = from + 1; i < to; i++) {
      if (x[i] > x[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Routing by argmax over the K + J one-stage entities. */
  static int routeByArgmax(double[] s, int classes, int experts) {
    int a = argmax(s, 0, classes + experts);
    return a < classes ? 0 : a - classes + 1;
  }

  /**
   * The active mask of the one-stage layout: every class, and each expert j whose value {@code
   * perExpert[j]} (correctness or cost) is not NaN. Returns null when everything is active.
   */
  static boolean[] oneStageMask(int classes, int experts, double[] perAgent) {
    boolean all = true;
    for (int j = 1; j <= experts; j++) {
      all &= !Double.isNaN(perAgent[j]);
    }
    if (all) {
      return null;
    }
    boolean[] active = new boolean[classes + experts];
    Arrays.fill(active, 0, classes, true);
    for (int j = 1; j <= experts; j++) {
      active[classes + j - 1] = !Double.isNaN(perAgent[j]);
    }
    return active;
  }

  /** Expert correctness e_j for j = 0..J (index 0 unused by one-stage losses). */
  static double[] correctness(Target t, int experts) {
    double[] e = new double[experts + 1];
    e[0] = Double.NaN;
    for (int j = 1; j <= experts; j++) {
      e[j] = t.correct(j);
    }
    return e;
  }

  /** Agent costs c_j for j = 0..J. */
  static double[] costs(Target t, int agents) {
    double[] c = new double[agents];
    for (int j = 0; j < agents; j++) {
      c[j] = t.cost(j);
    }
    return c;
  }

  /**
   * Requires c_j ∈ [0, 1] for every observed expert j ≥ {@code from}.
   *
   * @throws IllegalArgumentException naming the agent, the cost and the reason
   */
  final void requireUnitCosts(double[] c, int from) {
    for (int j = from; j < c.length; j++) {
      if (c[j] > 1) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s needs costs in [0, 1] (its weights are 1 - c), agent %d has cost %s;"
                    + " rescale the costs or use %s",
                name,
                j,
                c[j],
                layout.hasClasses() ? "ce-rejector, lsf, moe or topk" : "2s-comp:NU or plugin"));
      }
    }
  }

  @Override
  public String toString() {
    return "Surrogate[" + name + "]";
  }
}
