package org.defer4j.core.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The decision for one case: who decides, how sure the policy is, what each agent is expected to
 * cost and why the others were passed over.
 *
 * <ul>
 *   <li>{@link #kind()}: {@link Kind#AGENT} (one agent decides), {@link Kind#COMMITTEE} (an ordered
 *       committee answers together) or {@link Kind#SET} (a set of agents, e.g. a conformal set);
 *       {@link #chosen()} lists them, best first, and {@link #agent()} is the first.
 *   <li>{@link #score(String)}: the policy's score of each agent (higher = preferred; NaN for
 *       policies without scores, such as fixed baselines).
 *   <li>{@link #expectedCost(String)}: the policy's estimate of E[c_j | x] where it has one (NaN
 *       otherwise).
 *   <li>{@link #reason(String)}: why an agent was or was not chosen.
 *   <li>{@link #predictedClass()} / {@link #predictedValue()}: the learned model's own answer
 *       (one-stage policies, whose model is learned together with the deferral); −1 / NaN when the
 *       policy has no learned model.
 * </ul>
 *
 * @param id the case's id, or its row number as text when the table has no ids
 * @param kind what {@code chosen} is
 * @param chosen the chosen agents' names, best first (at least one)
 * @param agentNames every agent's name, in index order (0 is the model)
 * @param scores per agent, in index order (copied)
 * @param expectedCosts per agent, in index order (copied)
 * @param reasons per agent, in index order
 * @param fallback whether the agent the policy preferred was unavailable, so another was chosen
 * @param predictedClass the learned model's class index, or −1
 * @param predictedValue the learned model's numeric prediction, or NaN
 */
public record Decision(
    String id,
    Kind kind,
    List<String> chosen,
    List<String> agentNames,
    double[] scores,
    double[] expectedCosts,
    List<Reason> reasons,
    boolean fallback,
    int predictedClass,
    double predictedValue) {

  /** What the chosen agents form. */
  public enum Kind {
    /** One agent decides. */
    AGENT,
    /** An ordered committee answers together (top-k). */
    COMMITTEE,
    /** A set of agents (e.g. a conformal deferral set). */
    SET
  }

  /** Why an agent was or was not chosen. */
  public enum Reason {
    /** The agent is (one of) the chosen. */
    CHOSEN,
    /** Available, but another agent had a higher score. */
    LOWER_SCORE,
    /**
     * Available, but the policy's rule chose another agent although this one scored no lower (a
     * threshold kept the model), or the policy has no scores (a fixed baseline).
     */
    RULE,
    /** Not available for this case. */
    UNAVAILABLE,
    /** Available, but its capacity for the period is used up. */
    OVER_CAPACITY
  }

  /** Validates and copies. */
  public Decision {
    chosen = List.copyOf(chosen);
    agentNames = List.copyOf(agentNames);
    reasons = List.copyOf(reasons);
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("a decision needs at least one chosen agent");
    }
    if (scores.length != agentNames.size()
        || expectedCosts.length != agentNames.size()
        || reasons.size() != agentNames.size()) {
      throw new IllegalArgumentException(
          "scores, expected costs and reasons must give one value per agent ("
              + agentNames.size()
              + ")");
    }
    scores = scores.clone();
    expectedCosts = expectedCosts.clone();
  }

  /** The first chosen agent (the only one for {@link Kind#AGENT}). */
  public String agent() {
    return chosen.get(0);
  }

  /** The score of an agent (NaN when the policy has none). */
  public double score(String agent) {
    return scores[index(agent)];
  }

  /** The policy's estimate of the agent's expected cost (NaN when it has none). */
  public double expectedCost(String agent) {
    return expectedCosts[index(agent)];
  }

  /** Why the agent was or was not chosen. */
  public Reason reason(String agent) {
    return reasons.get(index(agent));
  }

  /** The agents that could not be asked for this case. */
  public List<String> unavailable() {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < agentNames.size(); j++) {
      if (reasons.get(j) == Reason.UNAVAILABLE) {
        out.add(agentNames.get(j));
      }
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public double[] scores() {
    return scores.clone();
  }

  @Override
  public double[] expectedCosts() {
    return expectedCosts.clone();
  }

  private int index(String agent) {
    int j = agentNames.indexOf(agent);
    if (j < 0) {
      throw new IllegalArgumentException(
          "'" + agent + "' is not an agent of this decision; agents are " + agentNames);
    }
    return j;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Decision d
        && id.equals(d.id)
        && kind == d.kind
        && chosen.equals(d.chosen)
        && agentNames.equals(d.agentNames)
        && Arrays.equals(scores, d.scores)
        && Arrays.equals(expectedCosts, d.expectedCosts)
        && reasons.equals(d.reasons)
        && fallback == d.fallback
        && predictedClass == d.predictedClass
        && Double.compare(predictedValue, d.predictedValue) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * id.hashCode() + chosen.hashCode();
  }

  @Override
  public String toString() {
    return id + " -> " + (kind == Kind.AGENT ? agent() : kind + " " + chosen);
  }
}
