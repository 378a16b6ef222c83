package org.defer4j.core.train.tune;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The numeric parameter a catalogue method exposes in its name, and the range the tuner draws it
 * from: {@code ce:α} and {@code realizable:α} (α uniform on [0, 1]), {@code psi:q:Q}, {@code
 * cost-sensitive:q:Q} and {@code 2s-psi:q:Q} (q uniform on [−1, 1]; the named links {@code log},
 * {@code mae}, {@code inv} are q = 0, 1, −1), {@code 2s-comp:ν} and {@code topk:ν} (ν uniform on
 * [0, 2]), {@code decoupled:λ} (λ log-uniform on [0.1, 10]). Other methods have none.
 *
 * @param head the method's name before the parameter, e.g. {@code ce} or {@code psi:q}
 * @param symbol the parameter's name: alpha, q, nu or lambda
 * @param low the smallest value drawn
 * @param high the largest value drawn
 * @param logScale whether values are drawn log-uniformly
 */
public record MethodParameter(
    String head, String symbol, double low, double high, boolean logScale) {

  /**
   * The parameter of a method, if it has one.
   *
   * @param method a catalogue name as {@code --method} takes it, e.g. {@code ce}, {@code ce:0.5},
   *     {@code psi:mae} or {@code 2s-comp:1}
   */
  public static Optional<MethodParameter> of(String method) {
    String s = method.trim();
    int colon = s.indexOf(':');
    String head = colon < 0 ? s : s.substring(0, colon);
    return switch (head) {
      case "ce" -> Optional.of(new MethodParameter("ce", "alpha", 0, 1, false));
      case "realizable" -> Optional.of(new MethodParameter("realizable", "alpha", 0, 1, false));
      case "psi", "cost-sensitive", "2s-psi" ->
          Optional.of(new MethodParameter(head + ":q", "q", -1, 1, false));
      case "2s-comp" -> Optional.of(new MethodParameter("2s-comp", "nu", 0, 2, false));
      case "topk" -> Optional.of(new MethodParameter("topk", "nu", 0, 2, false));
      case "decoupled" -> Optional.of(new MethodParameter("decoupled", "lambda", 0.1, 10, true));
      default -> Optional.empty();
    };
  }

  /** A value drawn from the range. */
  public double draw(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v =
        logScale
            ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)))
            : low + u * (high - low);
    // Three significant digits: names stay short and a printed trial can be retyped exactly.
    return new BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
  }

  /** The method's name with this value, e.g. {@code ce:0.42}. */
  public String method(double value) {
    return head + ":" + BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "%s in [%s, %s]%s", symbol, low, high, logScale ? " (log scale)" : "");
  }
}
