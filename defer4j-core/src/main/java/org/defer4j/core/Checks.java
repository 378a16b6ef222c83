package org.defer4j.core;

import java.util.Locale;

/**
 * Argument checks that fail fast with a message naming the offending value and the expected one.
 *
 * <p>Every check throws an unchecked exception; none logs or returns a flag.
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
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "%s[%d] must be finite, got %s", what, i, values[i]));
      }
    }
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
