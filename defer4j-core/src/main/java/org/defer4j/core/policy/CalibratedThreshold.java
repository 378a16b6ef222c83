package org.defer4j.core.policy;

/**
 * A rejection threshold chosen on a validation table to meet a {@link ShareTarget} (post-hoc share
 * calibration, Ponomarev 2024; see {@link ShareCalibration}). It decides exactly as {@link
 * DecisionRules#threshold(double) threshold:θ} — defer to the best-scored available expert iff its
 * score exceeds the model's by more than θ — and carries the target, so that evaluation can report
 * the realised shares against it.
 *
 * <p>Spelled {@code calibrated:θ;TARGET}, e.g. {@code calibrated:0.0123;max-share:gpt4=0.2}.
 *
 * @param theta the calibrated margin θ (may be ±∞)
 * @param target the target θ was chosen for
 */
public record CalibratedThreshold(double theta, ShareTarget target) implements DecisionRule {
  /** The prefix of the spelling. */
  public static final String PREFIX = "calibrated:";

  /** Validates. */
  public CalibratedThreshold {
    if (Double.isNaN(theta)) {
      throw new IllegalArgumentException("a calibrated threshold must be a number, got NaN");
    }
    if (target == null) {
      throw new IllegalArgumentException("a calibrated threshold needs its target");
    }
  }

  @Override
  public String spec() {
    return PREFIX + theta + ";" + target.spec();
  }

  @Override
  public int choose(
      double[] scores, int offset, boolean[] available, int availableOffset, int agents) {
    int best = DecisionRules.bestExpert(scores, offset, available, availableOffset, agents);
    if (!available[availableOffset]) {
      return best;
    }
    if (best < 0) {
      return 0;
    }
    return scores[offset + best] - scores[offset] > theta ? best : 0;
  }

  /** Parses the spelling after {@link #PREFIX}. */
  static CalibratedThreshold parseBody(String spec, String body) {
    int semi = body.indexOf(';');
    if (semi < 0) {
      throw new IllegalArgumentException(
          "decision rule '" + spec + "': expected calibrated:THETA;TARGET");
    }
    double theta;
    try {
      theta = Double.parseDouble(body.substring(0, semi).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("decision rule '" + spec + "': θ is not a number", e);
    }
    return new CalibratedThreshold(theta, ShareTarget.parse(body.substring(semi + 1)));
  }

  @Override
  public String toString() {
    return spec();
  }
}
