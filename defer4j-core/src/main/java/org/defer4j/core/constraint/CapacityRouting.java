package org.defer4j.core.constraint;

import org.defer4j.core.policy.CalibratedThreshold;
import org.defer4j.core.policy.DecisionRule;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;

/**
 * A learned policy's decisions under per-period capacities, online ({@link StreamingCapacity}) and
 * as the batch optimum of each period ({@link AssignmentSolver}), on the same arrival order.
 *
 * <p>The cost of agent j for case i is the policy's preference u_ij = −s_ij (its agent score,
 * negated), plus θ for every expert when the policy decides by a finite threshold θ, so that
 * without capacities argmin_j u_ij is the policy's own choice (up to ties). Unavailable agents are
 * NaN.
 */
public final class CapacityRouting {
  private CapacityRouting() {}

  /**
   * The preference costs of decisions made by a learned policy with {@code rule}.
   *
   * @return n × A, row-major
   * @throws IllegalArgumentException when the decisions carry no scores or availability
   */
  public static double[] preferenceCosts(Decisions decisions, DecisionRule rule) {
    if (!decisions.hasScores() || decisions.availability() == null) {
      throw new IllegalArgumentException(
          "capacity routing ranks agents by the policy's scores; these decisions have none");
    }
    double theta = theta(rule);
    int n = decisions.rows();
    int a = decisions.agentSet().size();
    double[] u = new double[n * a];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < a; j++) {
        u[i * a + j] =
            decisions.availability().available(i, j)
                ? -decisions.score(i, j) + (j == 0 ? 0 : theta)
                : Double.NaN;
      }
    }
    return u;
  }

  /**
   * The preference costs of one decision made by a learned policy with {@code rule} (the row of
   * {@link #preferenceCosts(Decisions, DecisionRule)} for one case): u_j = −s_j, plus θ for every
   * expert under a threshold rule, NaN where the agent was unavailable. Ranking the agents by u
   * ascending gives the order in which a router that enforces capacities tries them (a server
   * checks each one's capacity in its database in that order).
   *
   * @throws IllegalArgumentException when the rule is neither argmax nor a threshold
   */
  public static double[] preferenceCosts(org.defer4j.core.policy.Decision d, DecisionRule rule) {
    double theta = theta(rule);
    int a = d.agentNames().size();
    double[] scores = d.scores();
    double[] u = new double[a];
    for (int j = 0; j < a; j++) {
      u[j] =
          d.reasons().get(j) == org.defer4j.core.policy.Decision.Reason.UNAVAILABLE
              ? Double.NaN
              : -scores[j] + (j == 0 ? 0 : theta);
    }
    return u;
  }

  /**
   * Decides one arriving case through a stream: the policy scores the case, the stream chooses
   * under its capacities, and the decision names the experts passed over as {@link
   * org.defer4j.core.policy.Decision.Reason#OVER_CAPACITY} (what a router serving one case at a
   * time calls).
   *
   * @param policy a learned policy deciding one agent per case (argmax or threshold rule)
   * @param features the case's inputs by name (see {@link
   *     org.defer4j.core.policy.LearnedPolicy#decide(java.util.Map, java.util.Collection)})
   * @param available the agents that may be asked now, or null for all
   * @param stream the router's stream (its capacities per agent, in the policy's agent order)
   * @throws IllegalStateException when every available agent is at capacity
   */
  public static org.defer4j.core.policy.Decision decide(
      org.defer4j.core.policy.LearnedPolicy policy,
      java.util.Map<String, ?> features,
      java.util.Collection<String> available,
      StreamingCapacity.Stream stream) {
    org.defer4j.core.policy.Decision d = policy.decide(features, available);
    int a = d.agentNames().size();
    double[] scores = d.scores();
    double[] u = preferenceCosts(d, policy.rule());
    org.defer4j.core.policy.Decision.Reason[] reasons =
        new org.defer4j.core.policy.Decision.Reason[a];
    int c = stream.decide(u, 0, reasons);
    if (c < 0) {
      throw new IllegalStateException(
          "case " + d.id() + ": every available agent is at capacity for this period");
    }
    return new org.defer4j.core.policy.Decision(
        d.id(),
        org.defer4j.core.policy.Decision.Kind.AGENT,
        java.util.List.of(d.agentNames().get(c)),
        d.agentNames(),
        scores,
        d.expectedCosts(),
        java.util.Arrays.asList(reasons),
        d.fallback() || !d.agent().equals(d.agentNames().get(c)),
        d.predictedClass(),
        d.predictedValue());
  }

  private static double theta(DecisionRule rule) {
    double theta = 0;
    if (rule instanceof CalibratedThreshold c) {
      theta = c.theta();
    } else if (rule.spec().startsWith("threshold:")) {
      theta = Double.parseDouble(rule.spec().substring("threshold:".length()));
    } else if (!rule.spec().equals(DecisionRules.argmax().spec())) {
      throw new IllegalArgumentException(
          "capacity routing needs an argmax or threshold rule, not " + rule.spec());
    }
    // ±∞: every expert or none preferred; a large finite shift keeps the order among experts.
    return Double.isInfinite(theta) ? Math.copySign(1e6, theta) : theta;
  }

  /**
   * One pass of a stream over the cases in {@code order}.
   *
   * @param chosen per case (by row index) the agent the stream chose, −1 where it could not
   * @param overCapacity how many decisions passed an agent over for its capacity
   * @param maxLoad per agent the largest number of cases it received in any period
   */
  public record StreamRun(int[] chosen, int overCapacity, int[] maxLoad) {}

  /**
   * Routes the cases one at a time in {@code order} through a fresh stream of {@code rule}.
   *
   * @param u n × A costs
   * @param a agents
   * @param order a permutation of the rows
   */
  public static StreamRun stream(StreamingCapacity rule, double[] u, int a, int[] order) {
    StreamingCapacity.Stream s = rule.open();
    int n = order.length;
    int[] chosen = new int[n];
    int[] load = new int[a];
    int[] maxLoad = new int[a];
    org.defer4j.core.policy.Decision.Reason[] reasons =
        new org.defer4j.core.policy.Decision.Reason[a];
    int over = 0;
    for (int t = 0; t < n; t++) {
      if (t % rule.period() == 0) {
        java.util.Arrays.fill(load, 0);
      }
      int i = order[t];
      int c = s.decide(u, i * a, reasons);
      chosen[i] = c;
      for (org.defer4j.core.policy.Decision.Reason r : reasons) {
        if (r == org.defer4j.core.policy.Decision.Reason.OVER_CAPACITY) {
          over++;
          break;
        }
      }
      if (c >= 0) {
        load[c]++;
        maxLoad[c] = Math.max(maxLoad[c], load[c]);
      }
    }
    return new StreamRun(chosen, over, maxLoad);
  }

  /**
   * The batch optimum of each period of {@code order}: the cases of a period assigned at least
   * total cost Σ u subject to the capacities ({@link AssignmentSolver.Mode#AT_MOST}).
   *
   * @return per case (by row index) its agent
   */
  public static int[] batchOptimum(
      AssignmentSolver solver, double[] u, int a, int[] capacity, int period, int[] order) {
    int n = order.length;
    int[] out = new int[n];
    for (int start = 0; start < n; start += period) {
      int m = Math.min(period, n - start);
      double[] block = new double[m * a];
      for (int t = 0; t < m; t++) {
        System.arraycopy(u, order[start + t] * a, block, t * a, a);
      }
      int[] assign = solver.solve(block, m, capacity, AssignmentSolver.Mode.AT_MOST);
      for (int t = 0; t < m; t++) {
        out[order[start + t]] = assign[t];
      }
    }
    return out;
  }

  /** Σ_i u_{i, chosen_i} / n over the rows (NaN when a row has no agent). */
  public static double meanCost(double[] u, int a, int[] chosen) {
    double s = 0;
    for (int i = 0; i < chosen.length; i++) {
      if (chosen[i] < 0) {
        return Double.NaN;
      }
      s += u[i * a + chosen[i]];
    }
    return s / chosen.length;
  }
}
