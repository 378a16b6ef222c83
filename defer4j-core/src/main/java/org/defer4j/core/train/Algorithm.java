package org.defer4j.core.train;

import java.util.Locale;

/** How a scorer's parameters are optimised. */
public enum Algorithm {
  /** Minibatch Adam (Kingma and Ba 2015). */
  ADAM,
  /** Minibatch SGD with momentum. */
  SGD,
  /** Full-batch limited-memory BFGS, for convex objectives (linear scorers). */
  LBFGS;

  /**
   * Parses {@code adam}, {@code sgd} or {@code lbfgs}.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Algorithm parse(String s) {
    for (Algorithm a : values()) {
      if (a.name().toLowerCase(Locale.ROOT).equals(s)) {
        return a;
      }
    }
    throw new IllegalArgumentException("optimizer '" + s + "' is not one of [adam, sgd, lbfgs]");
  }
}
