package org.defer4j.core.math;

import java.util.SplittableRandom;

/**
 * Seeded random orders and the summaries of repeated runs, in one place so that every study,
 * trainer and command draws and summarises the same way (same seed, same order).
 */
public final class Sampling {
  private Sampling() {}

  /** Shuffles {@code a} in place (Fisher–Yates from the last index down). */
  public static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Fills {@code out} with a random permutation of 0..out.length−1. */
  public static void permutation(int[] out, SplittableRandom rng) {
    for (int i = 0; i < out.length; i++) {
      out[i] = i;
    }
    shuffle(out, rng);
  }

  /** The mean of {@code v} (NaN when empty). */
  public static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** The sample standard deviation of {@code v} (divisor n − 1), 0 for fewer than two values. */
  public static double sd(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}
