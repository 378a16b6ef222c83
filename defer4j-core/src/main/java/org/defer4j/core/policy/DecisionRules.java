package org.defer4j.core.policy;

import java.util.Locale;

/**
 * The catalogue of decision rules over agent scores.
 *
 * <ul>
 *   <li>{@link #argmax()}: the best-scored available agent (lowest index on ties, so the model wins
 *       a tie). With the scores of a trained surrogate this is the surrogate's own routing rule.
 *   <li>{@link #threshold(double)}: defer to the best-scored available expert iff its score exceeds
 *       the model's by more than θ (the rejection margin); θ = 0 is the argmax rule between the
 *       model and the experts. A case whose model is unavailable goes to the best available expert.
 *   <li>{@code dgnp:...}: the fairness- and budget-constrained post-processing rule ({@link
 *       FairDeferralRule}), which also reads each case's group.
 * </ul>
 */
public final class DecisionRules {
  private DecisionRules() {}

  private static final DecisionRule ARGMAX = new Argmax();

  /** The best-scored available agent. */
  public static DecisionRule argmax() {
    return ARGMAX;
  }

  /**
   * Defer iff the best available expert's score minus the model's exceeds θ.
   *
   * @throws IllegalArgumentException when θ is NaN
   */
  public static DecisionRule threshold(double theta) {
    if (Double.isNaN(theta)) {
      throw new IllegalArgumentException("a rejection threshold must be a number, got NaN");
    }
    return new Threshold(theta);
  }

  /**
   * Parses {@link DecisionRule#spec()}: {@code argmax}, {@code threshold:θ}, {@code
   * calibrated:θ;TARGET} or {@code calibrated-confidence:θ;TARGET} ({@link CalibratedThreshold}).
   *
   * @throws IllegalArgumentException for another spelling
   */
  public static DecisionRule parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("argmax")) {
      return ARGMAX;
    }
    if (s.startsWith(CalibratedThreshold.PREFIX)) {
      return CalibratedThreshold.parseBody(
          spec, spec.trim().substring(CalibratedThreshold.PREFIX.length()), false);
    }
    if (s.startsWith(CalibratedThreshold.CONFIDENCE_PREFIX)) {
      return CalibratedThreshold.parseBody(
          spec, spec.trim().substring(CalibratedThreshold.CONFIDENCE_PREFIX.length()), true);
    }
    if (s.startsWith("threshold:")) {
      try {
        // θ is read from the text as written: Double.toString spells ±∞ "Infinity", which the
        // lower-cased form would not parse back.
        return threshold(Double.parseDouble(spec.trim().substring("threshold:".length())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("decision rule '" + spec + "': θ is not a number", e);
      }
    }
    if (s.startsWith("dgnp:")) {
      return FairDeferralRule.parse(spec);
    }
    throw new IllegalArgumentException(
        "unknown decision rule '"
            + spec
            + "'; expected argmax, threshold:THETA, calibrated:THETA;TARGET,"
            + " calibrated-confidence:THETA;TARGET or"
            + " dgnp:KIND:K_B:K_F:G0=T0:G1=T1");
  }

  /**
   * The share target a rule was calibrated for ({@link CalibratedThreshold}), or null.
   *
   * @param rule any rule
   */
  public static ShareTarget target(DecisionRule rule) {
    return rule instanceof CalibratedThreshold c ? c.target() : null;
  }

  /**
   * The rejection margin of one case: the best available expert's score minus the model's score; −∞
   * when no expert is available, +∞ when only experts are.
   */
  public static double margin(
      double[] scores, int offset, boolean[] available, int availableOffset, int agents) {
    int best = bestExpert(scores, offset, available, availableOffset, agents);
    if (best < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (!available[availableOffset]) {
      return Double.POSITIVE_INFINITY;
    }
    return scores[offset + best] - scores[offset];
  }

  static int bestExpert(
      double[] scores, int offset, boolean[] available, int availableOffset, int agents) {
    int best = -1;
    double bestScore = 0;
    for (int j = 1; j < agents; j++) {
      if (available[availableOffset + j]) {
        double s = scores[offset + j];
        if (best < 0 || s > bestScore) {
          best = j;
          bestScore = s;
        }
      }
    }
    return best;
  }

  private static final class Argmax implements DecisionRule {
    @Override
    public String spec() {
      return "argmax";
    }

    @Override
    public int choose(
        double[] scores, int offset, boolean[] available, int availableOffset, int agents) {
      int best = -1;
      double bestScore = 0;
      for (int j = 0; j < agents; j++) {
        if (available[availableOffset + j]) {
          double s = scores[offset + j];
          if (best < 0 || s > bestScore) {
            best = j;
            bestScore = s;
          }
        }
      }
      return best;
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  private record Threshold(double theta) implements DecisionRule {
    @Override
    public String spec() {
      return "threshold:" + theta;
    }

    @Override
    public int choose(
        double[] scores, int offset, boolean[] available, int availableOffset, int agents) {
      int best = bestExpert(scores, offset, available, availableOffset, agents);
      if (!available[availableOffset]) {
        return best;
      }
      if (best < 0) {
        return 0;
      }
      return scores[offset + best] - scores[offset] > theta ? best : 0;
    }
  }
}
