package org.defer4j.core.policy;

import java.util.Locale;
import org.defer4j.core.math.StableMath;

/**
 * The d-GNP post-processing rule of Charusaie and Samadi (NeurIPS 2024) restricted to the deferral
 * decision, with an intervention budget and a two-group fairness constraint: for a case of group g
 * with estimated correctness p_0 = σ(s_0) of the model and p_j = σ(s_j) of expert j (the calibrated
 * one-vs-all head, {@link ScoreHead#ONE_VS_ALL}), the chosen agent is
 *
 * <pre>
 *   argmax_a [ ψ_0(a) − k_b·ψ_budget(a) − k_f·ψ_fair(a) ],   ψ_0(a) = p_a,
 *   ψ_budget(a) = 1[a is an expert],
 *   ψ_fair(a)   = t(g)·1[a is an expert]              (dp: parity of the deferral rate),
 *                 t(g)·(1 − p_0)·1[a is an expert]    (eo: parity of the deferral rate among the
 *                                                      cases the model gets wrong),
 * </pre>
 *
 * with t(g_0) = 1/P(g_0) and t(g_1) = −1/P(g_1) (for eo, the probabilities of the group and a model
 * error), estimated on the validation table. So an expert is asked iff max_j p_j − p_0 exceeds k_b
 * + k_f·t(g) (times 1 − p_0 for eo): a threshold linear in the estimated scores, one per group. The
 * model keeps its own class when it acts. k_b and k_f are tuned on validation ({@code
 * org.defer4j.core.constraint.FairPostProcessor}). Spec: {@code dgnp:KIND:K_B:K_F:G0=T0:G1=T1}.
 */
public record FairDeferralRule(
    String kind, double kBudget, double kFair, String group0, double t0, String group1, double t1)
    implements GroupRule {

  /** Validates the fields. */
  public FairDeferralRule {
    if (!kind.equals("dp") && !kind.equals("eo")) {
      throw new IllegalArgumentException("fairness kind must be dp or eo, got '" + kind + "'");
    }
    for (double v : new double[] {kBudget, kFair, t0, t1}) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("d-GNP coefficients must be finite, got " + v);
      }
    }
    if (group0.equals(group1)
        || group0.contains(":")
        || group1.contains(":")
        || group0.contains("=")
        || group1.contains("=")) {
      throw new IllegalArgumentException(
          "d-GNP needs two distinct group names without ':' or '=', got '"
              + group0
              + "' and '"
              + group1
              + "'");
    }
  }

  @Override
  public String spec() {
    return "dgnp:" + kind + ":" + kBudget + ":" + kFair + ":" + group0 + "=" + t0 + ":" + group1
        + "=" + t1;
  }

  /**
   * Parses {@link #spec()}.
   *
   * @throws IllegalArgumentException for another spelling
   */
  public static FairDeferralRule parse(String spec) {
    String[] p = spec.trim().split(":");
    if (p.length != 6 || !p[0].equals("dgnp")) {
      throw new IllegalArgumentException(
          "decision rule '" + spec + "' is not dgnp:KIND:K_B:K_F:G0=T0:G1=T1");
    }
    int e0 = p[4].lastIndexOf('=');
    int e1 = p[5].lastIndexOf('=');
    if (e0 <= 0 || e1 <= 0) {
      throw new IllegalArgumentException("decision rule '" + spec + "': groups are not NAME=T");
    }
    try {
      return new FairDeferralRule(
          p[1].toLowerCase(Locale.ROOT),
          Double.parseDouble(p[2]),
          Double.parseDouble(p[3]),
          p[4].substring(0, e0),
          Double.parseDouble(p[4].substring(e0 + 1)),
          p[5].substring(0, e1),
          Double.parseDouble(p[5].substring(e1 + 1)));
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("decision rule '" + spec + "': not a number", ex);
    }
  }

  /** t(g) of a group. */
  public double weight(String group) {
    if (group0.equals(group)) {
      return t0;
    }
    if (group1.equals(group)) {
      return t1;
    }
    throw new IllegalArgumentException(
        "group '" + group + "' is not one of the rule's groups [" + group0 + ", " + group1 + "]");
  }

  /**
   * The rule on probabilities: defer iff the best expert's estimated correctness minus the model's
   * exceeds the group's threshold.
   *
   * @param p0 the model's estimated correctness
   * @param bestExpert the best available expert's estimated correctness
   * @param t t(g) of the case's group
   */
  public boolean defers(double p0, double bestExpert, double t) {
    double fair = kind.equals("dp") ? t : t * (1 - p0);
    return bestExpert - p0 > kBudget + kFair * fair;
  }

  @Override
  public int chooseInGroup(
      double[] scores,
      int offset,
      boolean[] available,
      int availableOffset,
      int agents,
      String group) {
    if (group == null) {
      return choose(scores, offset, available, availableOffset, agents);
    }
    int best = DecisionRules.bestExpert(scores, offset, available, availableOffset, agents);
    if (!available[availableOffset]) {
      return best;
    }
    if (best < 0) {
      return 0;
    }
    double p0 = StableMath.sigmoid(scores[offset]);
    double pj = StableMath.sigmoid(scores[offset + best]);
    return defers(p0, pj, weight(group)) ? best : 0;
  }
}
