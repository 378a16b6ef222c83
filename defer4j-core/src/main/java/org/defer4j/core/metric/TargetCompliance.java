package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.ShareTarget;

/**
 * How decisions on a table meet a {@link ShareTarget}: per bound, the realised weighted share (or
 * mean fee) with its bootstrap interval and the violation — how far the estimate lies on the wrong
 * side of the target (0 when met), with the interval of the signed excess.
 */
public final class TargetCompliance {
  private TargetCompliance() {}

  /**
   * One bound of the target.
   *
   * @param quantity what is bounded: {@code share:AGENT} or {@code fee}
   * @param upper whether the bound is an upper bound (≤) rather than a lower bound (≥)
   * @param target the bound
   * @param realised the realised value on the table with its bootstrap interval
   * @param excess the signed excess over the bound (realised − target for an upper bound, target −
   *     realised for a lower one; positive = violated) with its interval
   */
  public record Bound(
      String quantity,
      boolean upper,
      double target,
      Bootstrap.Interval realised,
      Bootstrap.Interval excess) {
    /** Whether the point estimate meets the bound. */
    public boolean met() {
      return !(excess.estimate() > 0);
    }

    /** The violation: max(0, excess). */
    public double violation() {
      return Math.max(0, excess.estimate());
    }
  }

  /**
   * Every bound of {@code target} on the decisions.
   *
   * @param decisions one agent per row
   * @param agents the agents (fees from here)
   * @param table the table (weights)
   * @param target the target
   * @param resamples bootstrap resamples R ≥ 1
   * @param level the interval's level in (0, 1)
   * @param seed the bootstrap seed
   */
  public static List<Bound> of(
      Decisions decisions,
      AgentSet agents,
      DeferralTable table,
      ShareTarget target,
      int resamples,
      double level,
      long seed) {
    int n = decisions.rows();
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = table.weight(i);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<Bound> out = new ArrayList<>();
    if (target.boundsModel()) {
      out.add(
          bound(
              "share:" + agents.get(0).name(),
              false,
              target.minModelShare(),
              indicator(decisions, 0),
              w,
              resamples,
              level,
              rng.split()));
    }
    for (Map.Entry<String, Double> e : target.maxShare().entrySet()) {
      out.add(
          bound(
              "share:" + e.getKey(),
              true,
              e.getValue(),
              indicator(decisions, agents.indexOf(e.getKey())),
              w,
              resamples,
              level,
              rng.split()));
    }
    if (target.boundsFee()) {
      double[] fee = agents.fees();
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = fee[decisions.agent(i)];
      }
      out.add(bound("fee", true, target.maxFee(), v, w, resamples, level, rng.split()));
    }
    return out;
  }

  private static double[] indicator(Decisions d, int agent) {
    double[] v = new double[d.rows()];
    for (int i = 0; i < v.length; i++) {
      v[i] = d.agent(i) == agent ? 1 : 0;
    }
    return v;
  }

  private static Bound bound(
      String quantity,
      boolean upper,
      double target,
      double[] values,
      double[] w,
      int resamples,
      double level,
      SplittableRandom rng) {
    Bootstrap.Interval r = Bootstrap.mean(values, w, resamples, level, rng);
    Bootstrap.Interval excess =
        upper
            ? new Bootstrap.Interval(
                r.estimate() - target, r.lower() - target, r.upper() - target, level, resamples)
            : new Bootstrap.Interval(
                target - r.estimate(), target - r.upper(), target - r.lower(), level, resamples);
    return new Bound(quantity, upper, target, r, excess);
  }
}
