package org.defer4j.core;

import java.util.Locale;

/**
 * Argument checks that fail fast with a message naming the offending value and the expected one.
 *
 * <p>Every check throws an unchecked exception; none logs or returns a flag ({@link #allFinite} is
 * the test, not a check).
 */
public final class Checks {
  private Checks() {}

  /**
   * Requires {@code actual == expected}.
   *
   * @throws IllegalArgumentException naming {@code what}, the actual and the expected length
   */
  public static void checkDimension(String what, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(what + " has length " + actual + ", expected " + expected);
    }
  }

  /**
   * Requires a finite value.
   *
   * @throws IllegalArgumentException naming {@code what} and the value
   */
  public static double checkFinite(String what, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be finite, got " + value);
    }
    return value;
  }

  /**
   * Requires a finite value {@code >= 0}.
   *
   * @throws IllegalArgumentException naming {@code what} and the value
   */
  public static double checkNonNegative(String what, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  /**
   * Requires a probability in [0, 1].
   *
   * @throws IllegalArgumentException naming {@code what} and the value
   */
  public static double checkProbability(String what, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(what + " must be a probability in [0, 1], got " + value);
    }
    return value;
  }

  /**
   * Requires {@code value > 0}.
   *
   * @throws IllegalArgumentException naming {@code what} and the value
   */
  public static int checkPositive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be > 0, got " + value);
    }
    return value;
  }

  /**
   * Requires every element finite.
   *
   * @throws IllegalArgumentException naming {@code what}, the index and the value
   */
  public static void checkAllFinite(String what, double[] values) {
    if (allFinite(values)) {
      return;
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "%s[%d] must be finite, got %s", what, i, values[i]));
      }
    }
  }

  /**
   * Whether every entry is finite: v − v is 0 for a finite v and NaN for ±∞ or NaN, so the four
   * partial sums stay 0 exactly when all are. Branch-free, for the checks that run over every
   * parameter at every optimisation step.
   */
  public static boolean allFinite(double[] g) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 4 <= g.length; i += 4) {
      s0 += g[i] - g[i];
      s1 += g[i + 1] - g[i + 1];
      s2 += g[i + 2] - g[i + 2];
      s3 += g[i + 3] - g[i + 3];
    }
    for (; i < g.length; i++) {
      s0 += g[i] - g[i];
    }
    return (s0 + s1) + (s2 + s3) == 0;
  }

  /**
   * As {@link #allFinite(double[])}, over rows of float32 values, with eight partial sums (the scan
   * runs at every float32 optimisation step; fewer chains are bound by the additions' latency).
   */
  public static boolean allFinite(float[][] rows) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    for (float[] g : rows) {
      int i = 0;
      for (; i + 8 <= g.length; i += 8) {
        s0 += g[i] - g[i];
        s1 += g[i + 1] - g[i + 1];
        s2 += g[i + 2] - g[i + 2];
        s3 += g[i + 3] - g[i + 3];
        s4 += g[i + 4] - g[i + 4];
        s5 += g[i + 5] - g[i + 5];
        s6 += g[i + 6] - g[i + 6];
        s7 += g[i + 7] - g[i + 7];
      }
      for (; i < g.length; i++) {
        s0 += g[i] - g[i];
      }
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) == 0;
  }

  /**
   * Requires {@code 0 <= index < size}.
   *
   * @throws IndexOutOfBoundsException naming {@code what}, the index and the size
   */
  public static int checkIndex(String what, int index, int size) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(what + " " + index + " is outside [0, " + size + ")");
    }
    return index;
  }
}
