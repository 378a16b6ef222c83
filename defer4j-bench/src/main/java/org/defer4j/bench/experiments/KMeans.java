package org.defer4j.bench.experiments;

import java.util.SplittableRandom;

/**
 * Lloyd's k-means (Lloyd 1982) with k-means++ seeding and restarts, and the elbow choice of k
 * (Thorndike 1953) used by the seed paper's EHR experiment to define the experts' expertise.
 */
final class KMeans {
  private KMeans() {}

  /**
   * A clustering.
   *
   * @param assignment cluster of each row
   * @param inertia Σ_i ‖x_i − μ_{a(i)}‖²
   */
  record Result(int[] assignment, double inertia) {}

  /** The best of {@code restarts} runs of Lloyd's algorithm (at most 100 iterations each). */
  static Result fit(double[] x, int n, int d, int k, int restarts, SplittableRandom rng) {
    Result best = null;
    for (int r = 0; r < restarts; r++) {
      Result res = once(x, n, d, k, rng.split());
      if (best == null || res.inertia() < best.inertia()) {
        best = res;
      }
    }
    return best;
  }

  private static Result once(double[] x, int n, int d, int k, SplittableRandom rng) {
    double[] centres = new double[k * d];
    // k-means++: the first centre uniformly, the next ones with probability ∝ squared distance.
    int first = rng.nextInt(n);
    System.arraycopy(x, first * d, centres, 0, d);
    double[] dist = new double[n];
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (int i = 0; i < n; i++) {
        dist[i] = Double.POSITIVE_INFINITY;
        for (int q = 0; q < c; q++) {
          dist[i] = Math.min(dist[i], sq(x, i * d, centres, q * d, d));
        }
        total += dist[i];
      }
      double u = rng.nextDouble() * total;
      int pick = n - 1;
      for (int i = 0; i < n; i++) {
        u -= dist[i];
        if (u <= 0) {
          pick = i;
          break;
        }
      }
      System.arraycopy(x, pick * d, centres, c * d, d);
    }
    int[] a = new int[n];
    double inertia = 0;
    for (int iter = 0; iter < 100; iter++) {
      boolean changed = false;
      inertia = 0;
      for (int i = 0; i < n; i++) {
        int best = 0;
        double bd = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          double dd = sq(x, i * d, centres, c * d, d);
          if (dd < bd) {
            bd = dd;
            best = c;
          }
        }
        changed |= a[i] != best || iter == 0;
        a[i] = best;
        inertia += bd;
      }
      if (!changed) {
        break;
      }
      double[] sum = new double[k * d];
      int[] count = new int[k];
      for (int i = 0; i < n; i++) {
        count[a[i]]++;
        for (int j = 0; j < d; j++) {
          sum[a[i] * d + j] += x[i * d + j];
        }
      }
      for (int c = 0; c < k; c++) {
        if (count[c] > 0) {
          for (int j = 0; j < d; j++) {
            centres[c * d + j] = sum[c * d + j] / count[c];
          }
        }
      }
    }
    return new Result(a, inertia);
  }

  /**
   * The elbow of an inertia curve W(k), k = 1..K: the k farthest from the chord joining (1, W(1))
   * and (K, W(K)) (the "kneedle" reading of the elbow).
   */
  static int elbow(double[] inertia) {
    int m = inertia.length;
    double x1 = 1;
    double y1 = inertia[0];
    double x2 = m;
    double y2 = inertia[m - 1];
    double norm = Math.hypot(x2 - x1, y2 - y1);
    int best = 1;
    double bestDist = -1;
    for (int k = 1; k <= m; k++) {
      // Scale-free: distances on the normalised axes.
      double xs = (k - x1) / (x2 - x1);
      double ys = (inertia[k - 1] - y2) / (y1 - y2);
      double dist = Math.abs(xs + ys - 1) / Math.sqrt(2);
      if (dist > bestDist) {
        bestDist = dist;
        best = k;
      }
    }
    return norm > 0 ? best : 1;
  }

  private static double sq(double[] a, int ao, double[] b, int bo, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double r = a[ao + j] - b[bo + j];
      s += r * r;
    }
    return s;
  }
}
