package org.defer4j.core.model;

import java.util.SplittableRandom;

/**
 * Standard normal draws by the Box–Muller transform with {@link StrictMath}, so that a seed gives
 * the same initial weights on every JVM and platform (RandomGenerator#nextGaussian's algorithm is
 * not part of its contract).
 */
final class Gaussian {
  private Gaussian() {}

  /** Fills {@code a[from .. from + count)} with N(0, std²) draws from {@code rng}. */
  static void fill(SplittableRandom rng, double[] a, int from, int count, double std) {
    int i = 0;
    while (i < count) {
      // 1 − u ∈ (0, 1] keeps the logarithm finite.
      double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - rng.nextDouble()));
      double angle = 2 * StrictMath.PI * rng.nextDouble();
      a[from + i++] = std * radius * StrictMath.cos(angle);
      if (i < count) {
        a[from + i++] = std * radius * StrictMath.sin(angle);
      }
    }
  }
}
