package org.defer4j.core.conformal;

import java.util.ArrayList;
import java.util.List;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.policy.Decision;
import org.defer4j.core.policy.Decisions;

/**
 * The uncertain rejector of Fang &amp; Nalisnick (NeurIPS 2024 workshop; TMLR 2026): a split-
 * conformal set S(x) ⊆ {model, expert} that covers the expert-correctness indicator b = 1[expert
 * right] with P(b ∈ S(X)) ≥ 1 − α under exchangeability. {model} means act, {expert} defer, both
 * ambiguous; the {@link Workflow}s resolve the ambiguous cases.
 *
 * <p>Score (a reconstruction, METHODS-2 R-C1, the standard LAC score; the paper's own is not
 * public): with p̂(x) the policy's estimate of P(b = 1 | x), p̂_1 = p̂ and p̂_0 = 1 − p̂,
 * calibration scores s_i = 1 − p̂_{b_i}(x_i), q̂ their split-conformal quantile and S(x) = {b : 1 −
 * p̂_b(x) ≤ q̂} (b = 1 → expert, b = 0 → model). An empty set (possible when q̂ &lt; 1/2) is
 * widened to both.
 *
 * <p>p̂ comes from the policy's calibrated expected costs where its head has them (one-vs-all:
 * σ(s_⊥), the asymmetric softmax, the decoupled surrogate): p̂ = 1 − (E[c_E] − β_E)/α_E. Other
 * heads give no probability; σ(score_E − score_model) is used instead — coverage still holds (it
 * holds for any score), only the sets are less informative ({@link #calibratedScore}).
 */
public final class ConformalDeferral {
  private final double alpha;
  private final double quantile;

  private ConformalDeferral(double alpha, double quantile) {
    this.alpha = alpha;
    this.quantile = quantile;
  }

  /** How ambiguous cases ({model, expert}) are resolved. */
  public enum Workflow {
    /** Abstain: neither answers. */
    ABSTENTION,
    /** Ask both; answer iff the model and the expert agree, else abstain. */
    CONSENSUS
  }

  /**
   * Calibrates on the given rows.
   *
   * @param pExpert p̂(x) per row, in [0, 1]
   * @param expertCorrect b per row
   * @param rows the calibration rows
   * @param alpha α in (0, 1)
   */
  public static ConformalDeferral calibrate(
      double[] pExpert, boolean[] expertCorrect, int[] rows, double alpha) {
    SplitConformal.checkAlpha(alpha);
    Checks.checkDimension("expert correctness", expertCorrect.length, pExpert.length);
    double[] s = new double[rows.length];
    for (int r = 0; r < rows.length; r++) {
      int i = rows[r];
      s[r] = expertCorrect[i] ? 1 - pExpert[i] : pExpert[i];
    }
    return new ConformalDeferral(alpha, SplitConformal.quantile(s, alpha));
  }

  /** α. */
  public double alpha() {
    return alpha;
  }

  /** q̂ (+∞ when the calibration set is too small for level 1 − α). */
  public double quantile() {
    return quantile;
  }

  /** Set bit for the model (b = 0). */
  public static final int MODEL = 1;

  /** Set bit for the expert (b = 1). */
  public static final int EXPERT = 2;

  /** The set of a case as bits {@link #MODEL} | {@link #EXPERT} (never empty). */
  public int set(double pExpert) {
    int s = 0;
    if (pExpert <= quantile) {
      s |= MODEL;
    }
    if (1 - pExpert <= quantile) {
      s |= EXPERT;
    }
    return s == 0 ? MODEL | EXPERT : s;
  }

  /** Whether the set covers b. */
  public static boolean covers(int set, boolean expertCorrect) {
    return (set & (expertCorrect ? EXPERT : MODEL)) != 0;
  }

  /** The number of members of a set. */
  public static int size(int set) {
    return Integer.bitCount(set);
  }

  /**
   * Whether the head behind the decisions gives calibrated estimates of the expert's correctness
   * (else {@link #expertProbability} falls back to σ(score_E − score_model)).
   */
  public static boolean calibratedScore(Decisions decisions, AgentSet agents, int expert) {
    return decisions.hasExpectedCosts() && agents.get(expert).alpha() > 0;
  }

  /**
   * p̂(x) per row: the policy's estimate that {@code expert} is right.
   *
   * @param decisions a learned policy's decisions (with scores)
   * @param agents the agents
   * @param expert the expert's index (≥ 1)
   */
  public static double[] expertProbability(Decisions decisions, AgentSet agents, int expert) {
    int n = decisions.rows();
    double[] p = new double[n];
    boolean calibrated = calibratedScore(decisions, agents, expert);
    double a = agents.get(expert).alpha();
    double fee = agents.get(expert).fee();
    for (int i = 0; i < n; i++) {
      double v =
          calibrated
              ? 1 - (decisions.expectedCost(i, expert) - fee) / a
              : StableMath.sigmoid(decisions.score(i, expert) - decisions.score(i, 0));
      p[i] = Math.min(1, Math.max(0, v));
    }
    return p;
  }

  /**
   * The sets as decisions of kind {@link Decision.Kind#SET}, members best-scored first.
   *
   * @param base the policy's decisions on the same rows
   * @param sets one set per row ({@link #set})
   * @param expert the expert's index
   */
  public static List<Decision> decisions(Decisions base, int[] sets, int expert) {
    List<Decision> out = new ArrayList<>(sets.length);
    for (int i = 0; i < sets.length; i++) {
      Decision d = base.get(i);
      List<String> names = d.agentNames();
      List<String> chosen = new ArrayList<>(2);
      boolean expertFirst = d.scores()[expert] > d.scores()[0];
      if ((sets[i] & EXPERT) != 0 && expertFirst) {
        chosen.add(names.get(expert));
      }
      if ((sets[i] & MODEL) != 0) {
        chosen.add(names.get(0));
      }
      if ((sets[i] & EXPERT) != 0 && !expertFirst) {
        chosen.add(names.get(expert));
      }
      List<Decision.Reason> reasons = new ArrayList<>(d.reasons());
      for (int j = 0; j < names.size(); j++) {
        if (chosen.contains(names.get(j))) {
          reasons.set(j, Decision.Reason.CHOSEN);
        } else if (reasons.get(j) == Decision.Reason.CHOSEN) {
          reasons.set(j, Decision.Reason.RULE);
        }
      }
      out.add(
          new Decision(
              d.id(),
              Decision.Kind.SET,
              chosen,
              names,
              d.scores(),
              d.expectedCosts(),
              reasons,
              d.fallback(),
              d.predictedClass(),
              d.predictedValue()));
    }
    return out;
  }
}
