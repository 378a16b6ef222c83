package org.defer4j.core.policy;

/**
 * A rejection threshold chosen on a validation table to meet a {@link ShareTarget} (post-hoc share
 * calibration, Ponomarev 2024; see {@link ShareCalibration}). It decides exactly as {@link
 * DecisionRules#threshold(double) threshold:θ} — defer to the best-scored available expert iff its
 * score exceeds the model's by more than θ — and carries the target, so that evaluation can report
 * the realised shares against it.
 *
 * <p>With {@code confidence}, the rule is instead Chow's confidence threshold on the model's own
 * score s_0 (its learned confidence, whatever the experts' scores say): defer to the best-scored
 * available expert iff −s_0 &gt; θ. It is meaningful only for heads whose s_0 is increasing in the
 * model's estimated chance of being right — one-vs-all (σ(s_0) = P̂(model right | x)), the plug-in
 * cost regression (s_0 = −Ê[c_0 | x]) and the two-stage score-based head (s_0 = the model's
 * confidence); {@link org.defer4j.core.constraint.ShareCalibration} checks that.
 *
 * <p>Spelled {@code calibrated:θ;TARGET}, e.g. {@code calibrated:0.0123;max-share:gpt4=0.2}, or
 * {@code calibrated-confidence:θ;TARGET}.
 *
 * @param theta the calibrated margin θ (may be ±∞)
 * @param target the target θ was chosen for
 * @param confidence whether θ thresholds −s_0 (the model's confidence) rather than the margin
 */
public record CalibratedThreshold(double theta, ShareTarget target, boolean confidence)
    implements DecisionRule {
  /** The prefix of the spelling. */
  public static final String PREFIX = "calibrated:";

  /** The prefix of the confidence rule's spelling. */
  public static final String CONFIDENCE_PREFIX = "calibrated-confidence:";

  /** Validates. */
  public CalibratedThreshold {
    if (Double.isNaN(theta)) {
      throw new IllegalArgumentException("a calibrated threshold must be a number, got NaN");
    }
    if (target == null) {
      throw new IllegalArgumentException("a calibrated threshold needs its target");
    }
  }

  /** A threshold on the rejection margin (the default rule). */
  public CalibratedThreshold(double theta, ShareTarget target) {
    this(theta, target, false);
  }

  @Override
  public String spec() {
    return (confidence ? CONFIDENCE_PREFIX : PREFIX) + theta + ";" + target.spec();
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
    double statistic = confidence ? -scores[offset] : scores[offset + best] - scores[offset];
    return statistic > theta ? best : 0;
  }

  /** Parses the spelling after {@link #PREFIX} (or {@link #CONFIDENCE_PREFIX}). */
  static CalibratedThreshold parseBody(String spec, String body, boolean confidence) {
    int semi = body.indexOf(';');
    if (semi < 0) {
      throw new IllegalArgumentException(
          "decision rule '"
              + spec
              + "': expected "
              + (confidence ? CONFIDENCE_PREFIX : PREFIX)
              + "THETA;TARGET");
    }
    double theta;
    try {
      theta = Double.parseDouble(body.substring(0, semi).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("decision rule '" + spec + "': θ is not a number", e);
    }
    return new CalibratedThreshold(theta, ShareTarget.parse(body.substring(semi + 1)), confidence);
  }

  @Override
  public String toString() {
    return spec();
  }
}
