package org.defer4j.core.train;

import java.util.Locale;

/** The arithmetic of a minibatch fit (see {@link TrainOptions#precision()}). */
public enum Precision {
  /**
   * Float64 throughout: every scorer, every loss, every optimizer; the default, and the precision
   * of the studies in docs/results.md.
   */
  FLOAT64,
  /**
   * Float32 forward and backward passes and Adam steps for the linear and MLP scorers ({@link
   * org.defer4j.core.model.Float32Network}, {@link org.defer4j.core.optim.Float32Adam}), the
   * arithmetic of PyTorch's float32 training: about twice the throughput where the passes and the
   * step are bound by memory or vector width. The loss and its gradient stay float64; the scorer's
   * parameters are written back as float64 before every validation and at the end.
   */
  FLOAT32;

  /** The option's spelling: {@code float64} or {@code float32}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The precision named {@code s} ({@code float64} or {@code float32}).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Precision parse(String s) {
    for (Precision p : values()) {
      if (p.label().equals(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("precision '" + s + "' is not one of [float64, float32]");
  }
}
