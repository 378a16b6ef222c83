package org.defer4j.core.constraint;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.CalibratedThreshold;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.policy.ShareTarget;

/**
 * Post-hoc share calibration (Ponomarev, ICPR 2024; METHODS-2 §D1): choose the rejection threshold
 * θ of a trained policy on a validation table so that a {@link ShareTarget} holds there — the model
 * keeps at least a share, each named expert receives at most a share, the mean fee stays under a
 * budget.
 *
 * <p>With d_i the rejection margin of case i (best available expert's score minus the model's, see
 * {@link LearnedPolicy#margins}) and b_i that expert, the rule defers case i to b_i iff d_i &gt; θ.
 * Every expert's share and the mean fee are non-increasing in θ and the model's share is
 * non-decreasing, so the feasible thresholds form a half-line θ ≥ θ*. Sorting the finite margins in
 * decreasing order, deferring the top k (k = 0..F, cut only between distinct margins) enumerates
 * every distinct rule; θ = d_(k+1) (the largest margin kept) realises cut k exactly.
 *
 * <ul>
 *   <li>{@link Pick#COST} (default): among the feasible cuts, the one of least validation cost
 *       (errors + fees): a bound that does not bind leaves the policy's own optimum alone.
 *   <li>{@link Pick#FILL}: the feasible cut that defers the most — spend the budget (what
 *       RouteLLM's {@code calibrate_threshold --strong-model-pct} does).
 * </ul>
 *
 * <p>On the model's confidence instead ({@link #calibrate(LearnedPolicy, DeferralTable,
 * ShareTarget, Pick, boolean)} with {@code confidence}), d_i = −s_0(x_i), the negated model score,
 * and the rule is Chow's threshold on the model's learned confidence ({@link CalibratedThreshold}
 * with {@code confidence}): the cases the model is least sure of go to their best expert, whatever
 * the experts' own scores. This is the confidence-threshold baseline at a target share; it needs a
 * head whose s_0 estimates the model's chance of being right (one-vs-all, plug-in, two-stage
 * score-based).
 *
 * <p>Cases whose model is unavailable always go to an expert and cases with no expert available
 * stay with the model, whatever θ; when those forced shares alone break the target the calibration
 * fails. The guarantee is empirical on the validation rows only: on new cases the shares vary by
 * about √(s(1 − s)/n) (evaluation reports them with a bootstrap interval).
 */
public final class ShareCalibration {
  private ShareCalibration() {}

  /** Which feasible threshold to keep. */
  public enum Pick {
    /** The feasible threshold of least validation cost. */
    COST,
    /** The feasible threshold that defers the most. */
    FILL;

    /** Parses {@code cost} or {@code fill}. */
    public static Pick parse(String s) {
      return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "cost" -> COST;
        case "fill" -> FILL;
        default ->
            throw new IllegalArgumentException("pick '" + s + "' is not one of [cost, fill]");
      };
    }
  }

  /**
   * What calibration chose, with its validation figures.
   *
   * @param rule the calibrated rule
   * @param shares per agent (index order) the weighted share of validation cases it receives
   * @param meanFee the weighted mean fee per validation case
   * @param meanCost the weighted mean validation cost (errors + fees)
   * @param rows the validation rows
   */
  public record Result(
      CalibratedThreshold rule, double[] shares, double meanFee, double meanCost, int rows) {
    /** Copies. */
    public Result {
      shares = shares.clone();
    }

    @Override
    public double[] shares() {
      return shares.clone();
    }
  }

  /**
   * Calibrates {@code policy}'s threshold on {@code validation} under the availability the table
   * records.
   *
   * @throws IllegalArgumentException when the target names an agent that is not an expert, when the
   *     policy forms committees, or when no threshold meets the target on the validation rows
   */
  public static Result calibrate(
      LearnedPolicy policy, DeferralTable validation, ShareTarget target, Pick pick) {
    return calibrate(policy, validation, target, pick, false);
  }

  /** The heads whose model score s_0 increases with the model's estimated chance of being right. */
  private static final Set<ScoreHead> CONFIDENCE_HEADS =
      EnumSet.of(ScoreHead.ONE_VS_ALL, ScoreHead.PLUGIN, ScoreHead.MODEL_CONFIDENCE);

  /**
   * Calibrates {@code policy}'s threshold on {@code validation}, on the rejection margin or, with
   * {@code confidence}, on the model's own score (Chow's rule on its learned confidence).
   *
   * @throws IllegalArgumentException as {@link #calibrate(LearnedPolicy, DeferralTable,
   *     ShareTarget, Pick)}, and when {@code confidence} is asked of a head whose model score is
   *     not a confidence
   */
  public static Result calibrate(
      LearnedPolicy policy,
      DeferralTable validation,
      ShareTarget target,
      Pick pick,
      boolean confidence) {
    if (confidence && !CONFIDENCE_HEADS.contains(policy.head())) {
      throw new IllegalArgumentException(
          "policy "
              + policy.name()
              + " (head "
              + policy.head().spec()
              + "): its model score is not a confidence; calibrating on the model's confidence"
              + " needs a one-vs-all (ova), plug-in (plugin) or two-stage score-based (2s-sb)"
              + " policy");
    }
    if (policy.committee() != null) {
      throw new IllegalArgumentException(
          "policy " + policy.name() + " forms committees; share calibration sets a one-agent rule");
    }
    AgentSet agents = policy.agents();
    target.checkAgents(agents);
    Availability avail = Availability.observed(policy.task(), validation);
    Decisions d = policy.decide(validation, avail);
    double[] margin = LearnedPolicy.margins(d);
    int n = validation.rows();
    if (confidence) {
      // Forced cases keep their infinite margin; the others are ranked by −s_0.
      for (int i = 0; i < n; i++) {
        if (!Double.isInfinite(margin[i])) {
          margin[i] = -d.score(i, 0);
        }
      }
    }
    int a = agents.size();
    CostMatrix costs = Evaluation.costs(policy.task(), validation, d);
    double[] fee = agents.fees();
    // Per case: the best available expert (−1 when none), the model's and that expert's cost.
    int[] best = new int[n];
    double[] w = new double[n];
    double total = 0;
    double[] share = new double[a];
    double feeSum = 0;
    double costSum = 0;
    Integer[] finite = new Integer[n];
    int f = 0;
    for (int i = 0; i < n; i++) {
      w[i] = validation.weight(i);
      total += w[i];
      best[i] = bestExpert(d, avail, i, a);
      if (margin[i] == Double.POSITIVE_INFINITY || margin[i] == Double.NEGATIVE_INFINITY) {
        int j = margin[i] == Double.POSITIVE_INFINITY ? best[i] : 0;
        share[j] += w[i];
        feeSum += w[i] * fee[j];
        costSum += w[i] * costs.cost(i, j);
      } else {
        finite[f++] = i;
        share[0] += w[i];
        costSum += w[i] * costs.cost(i, 0);
        feeSum += w[i] * fee[0];
      }
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException(
          validation.source() + ": no validation rows (or zero total weight) to calibrate on");
    }
    Integer[] order = Arrays.copyOf(finite, f);
    Arrays.sort(order, (x, y) -> Double.compare(margin[y], margin[x]));
    if (!feasible(target, agents, share, feeSum, total)) {
      throw new IllegalArgumentException(
          "no threshold meets "
              + target.spec()
              + " on "
              + validation.source()
              + ": even deferring no case the shares are "
              + describe(agents, share, total)
              + " and the mean fee "
              + feeSum / total
              + " (cases whose model is unavailable always go to an expert)");
    }
    int bestCut = 0;
    double bestCost = costSum;
    double[] bestShare = share.clone();
    double bestFee = feeSum;
    int k = 0;
    while (k < f) {
      // Defer the next group of equal margins as one step.
      int end = k;
      double m = margin[order[k]];
      while (end < f && margin[order[end]] == m) {
        int i = order[end];
        int j = best[i];
        share[0] -= w[i];
        share[j] += w[i];
        feeSum += w[i] * (fee[j] - fee[0]);
        costSum += w[i] * (costs.cost(i, j) - costs.cost(i, 0));
        end++;
      }
      if (!feasible(target, agents, share, feeSum, total)) {
        break;
      }
      k = end;
      if (pick == Pick.FILL || costSum < bestCost - 1e-12 * total) {
        bestCut = k;
        bestCost = costSum;
        bestShare = share.clone();
        bestFee = feeSum;
      }
    }
    double theta = bestCut == f ? Double.NEGATIVE_INFINITY : margin[order[bestCut]];
    if (f == 0) {
      theta = Double.POSITIVE_INFINITY;
    }
    for (int j = 0; j < a; j++) {
      bestShare[j] /= total;
    }
    return new Result(
        new CalibratedThreshold(theta, target, confidence),
        bestShare,
        bestFee / total,
        bestCost / total,
        n);
  }

  private static int bestExpert(Decisions d, Availability avail, int i, int a) {
    int best = -1;
    for (int j = 1; j < a; j++) {
      if (avail.available(i, j) && (best < 0 || d.score(i, j) > d.score(i, best))) {
        best = j;
      }
    }
    return best;
  }

  private static boolean feasible(
      ShareTarget t, AgentSet agents, double[] share, double feeSum, double total) {
    // A relative slack of 1e-12 keeps float sums of weights from rejecting an exact target.
    double eps = 1e-12 * total;
    if (t.boundsModel() && share[0] < t.minModelShare() * total - eps) {
      return false;
    }
    for (Map.Entry<String, Double> e : t.maxShare().entrySet()) {
      if (share[agents.indexOf(e.getKey())] > e.getValue() * total + eps) {
        return false;
      }
    }
    return !t.boundsFee() || feeSum <= t.maxFee() * total + eps;
  }

  private static String describe(AgentSet agents, double[] share, double total) {
    StringBuilder b = new StringBuilder();
    for (int j = 0; j < share.length; j++) {
      b.append(j == 0 ? "" : ", ")
          .append(agents.get(j).name())
          .append(' ')
          .append(share[j] / total);
    }
    return b.toString();
  }
}
