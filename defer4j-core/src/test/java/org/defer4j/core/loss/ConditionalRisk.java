package org.defer4j.core.loss;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The expected loss over a small discrete distribution of targets for one input x, and its
 * minimisation by plain gradient descent with Armijo backtracking. Used to check, loss by loss,
 * which decision the minimiser of the conditional risk makes (the level at which Bayes-consistency
 * is defined).
 */
final class ConditionalRisk {
  private ConditionalRisk() {}

  /** A target with its probability. */
  record Weighted(Target target, double weight) {}

  /** Σ_i w_i L(x, target_i), gradient into {@code grad}. */
  static double value(Surrogate s, double[] x, List<Weighted> dist, double[] grad) {
    java.util.Arrays.fill(grad, 0.0);
    double[] g = new double[x.length];
    double total = 0.0;
    for (Weighted w : dist) {
      total += w.weight() * s.evaluate(x, w.target(), g);
      for (int i = 0; i < x.length; i++) {
        grad[i] += w.weight() * g[i];
      }
    }
    return total;
  }

  /**
   * Minimises the conditional risk from {@code start}; coordinates with {@code frozen[i]} stay put.
   *
   * @return the last iterate
   */
  static double[] minimise(
      Surrogate s, double[] start, List<Weighted> dist, int iterations, boolean[] frozen) {
    double[] x = start.clone();
    double[] g = new double[x.length];
    double[] trial = new double[x.length];
    double[] gt = new double[x.length];
    double f = value(s, x, dist, g);
    double step = 1.0;
    for (int it = 0; it < iterations; it++) {
      if (frozen != null) {
        for (int i = 0; i < x.length; i++) {
          if (frozen[i]) {
            g[i] = 0.0;
          }
        }
      }
      double norm2 = 0.0;
      for (double gi : g) {
        norm2 += gi * gi;
      }
      if (norm2 < 1e-24) {
        break;
      }
      step = Math.min(step * 2.0, 1e3);
      double ft;
      while (true) {
        for (int i = 0; i < x.length; i++) {
          trial[i] = x[i] - step * g[i];
        }
        ft = value(s, trial, dist, gt);
        if (ft <= f - 1e-4 * step * norm2 || step < 1e-14) {
          break;
        }
        step *= 0.5;
      }
      if (step < 1e-14) {
        break;
      }
      System.arraycopy(trial, 0, x, 0, x.length);
      System.arraycopy(gt, 0, g, 0, x.length);
      f = ft;
    }
    return x;
  }

  /**
   * The one-stage distribution: class y with probability η_y, and given y each expert j right
   * independently with probability acc[j][y]; the targets carry correctness and, unless the costs
   * are plain 0-1 (fee 0, error cost 1), explicit costs fee + errorCost · 1[expert wrong].
   */
  static List<Weighted> oneStage(double[] eta, double[][] acc, double fee, double errorCost) {
    int experts = acc.length;
    List<Weighted> out = new ArrayList<>();
    for (int y = 0; y < eta.length; y++) {
      for (int pattern = 0; pattern < (1 << experts); pattern++) {
        double w = eta[y];
        double[] correct = new double[experts + 1];
        double[] costs = new double[experts + 1];
        correct[0] = Double.NaN;
        costs[0] = Double.NaN;
        for (int j = 0; j < experts; j++) {
          boolean right = ((pattern >> j) & 1) == 1;
          w *= right ? acc[j][y] : 1 - acc[j][y];
          correct[j + 1] = right ? 1 : 0;
          costs[j + 1] = (right ? 0 : errorCost) + fee;
        }
        if (w > 0) {
          boolean zeroOne = fee == 0 && errorCost == 1;
          out.add(new Weighted(new Target(y, correct, zeroOne ? null : costs, Double.NaN), w));
        }
      }
    }
    return out;
  }

  /** P(expert j right) = Σ_y η_y acc[j][y]. */
  static double accuracy(double[] eta, double[] acc) {
    double a = 0;
    for (int y = 0; y < eta.length; y++) {
      a += eta[y] * acc[y];
    }
    return a;
  }

  /**
   * The Bayes agent of the one-stage problem: predict unless some expert's expected cost fee +
   * errorCost (1 − a_j) is below 1 − max η.
   */
  static int bayesAgent(double[] eta, double[][] acc, double fee, double errorCost) {
    double best = 1 - max(eta);
    int agent = 0;
    for (int j = 0; j < acc.length; j++) {
      double cost = errorCost * (1 - accuracy(eta, acc[j])) + fee;
      if (cost < best) {
        best = cost;
        agent = j + 1;
      }
    }
    return agent;
  }

  /** The margin between the best and second-best expected cost of the one-stage problem. */
  static double bayesMargin(double[] eta, double[][] acc, double fee, double errorCost) {
    double[] costs = new double[acc.length + 1];
    costs[0] = 1 - max(eta);
    for (int j = 0; j < acc.length; j++) {
      costs[j + 1] = errorCost * (1 - accuracy(eta, acc[j])) + fee;
    }
    java.util.Arrays.sort(costs);
    return costs[1] - costs[0];
  }

  static double max(double[] x) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      m = Math.max(m, v);
    }
    return m;
  }

  static int argmax(double[] x, int from, int to) {
    int best = from;
    for (int i = from + 1; i < to; i++) {
      if (x[i] > x[best]) {
        best = i;
      }
    }
    return best;
  }

  /** A random probability vector (Dirichlet(1)). */
  static double[] simplex(SplittableRandom rnd, int n) {
    double[] p = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      p[i] = -Math.log1p(-rnd.nextDouble());
      sum += p[i];
    }
    for (int i = 0; i < n; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** Random per-class accuracies in [0, 1] for each expert. */
  static double[][] accuracies(SplittableRandom rnd, int experts, int classes) {
    double[][] acc = new double[experts][classes];
    for (int j = 0; j < experts; j++) {
      for (int y = 0; y < classes; y++) {
        acc[j][y] = rnd.nextDouble();
      }
    }
    return acc;
  }

  /** Gap between the largest and second-largest entry. */
  static double topGap(double[] x) {
    double[] s = x.clone();
    java.util.Arrays.sort(s);
    return s[s.length - 1] - s[s.length - 2];
  }
}
