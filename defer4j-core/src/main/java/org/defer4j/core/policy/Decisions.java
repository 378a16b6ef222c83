package org.defer4j.core.policy;

import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;

/**
 * The agent chosen for each row, with a flag for the rows where the policy's preferred agent was
 * unavailable and the fallback rule chose another one.
 *
 * <p><b>Fallback rule</b> (shared by every built-in policy and by {@link
 * org.defer4j.core.metric.AccuracyCoverageCurve}): when the preferred agent of a row is unavailable
 * (its cost is NaN: the agent did not see the case), the row goes to the first available agent in
 * index order, so to the model whenever the model is available. A row on which no agent is
 * available cannot be decided and is an error.
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class Decisions {
  private final int[] agents;
  private final boolean[] fallback;
  private final int fallbackCount;

  /**
   * @param agents the chosen agent of each row
   * @param fallback whether each row's choice came from the fallback rule
   * @throws IllegalArgumentException when the lengths differ
   */
  public Decisions(int[] agents, boolean[] fallback) {
    Checks.checkDimension("fallback flags", fallback.length, agents.length);
    this.agents = agents.clone();
    this.fallback = fallback.clone();
    int c = 0;
    for (boolean f : fallback) {
      if (f) {
        c++;
      }
    }
    this.fallbackCount = c;
  }

  /** Decisions with no fallback recorded (for example a bare decision array). */
  public static Decisions of(int[] agents) {
    return new Decisions(agents, new boolean[agents.length]);
  }

  /**
   * Applies the fallback rule to preferred agents.
   *
   * @param preferred each row's preferred agent index (0 ≤ index &lt; A)
   * @param costs the cost matrix whose NaN cells mark unavailable agents
   * @return the decisions, with the rows that fell back flagged
   * @throws IllegalArgumentException on a length mismatch, an index out of range, or a row where no
   *     agent is available
   */
  public static Decisions resolve(int[] preferred, CostMatrix costs) {
    Checks.checkDimension("preferred agents", preferred.length, costs.rows());
    int n = preferred.length;
    int[] chosen = new int[n];
    boolean[] fellBack = new boolean[n];
    for (int i = 0; i < n; i++) {
      int p = preferred[i];
      Checks.checkIndex("preferred agent of row " + i, p, costs.agentCount());
      if (costs.available(i, p)) {
        chosen[i] = p;
      } else {
        chosen[i] = firstAvailable(costs, i);
        fellBack[i] = true;
      }
    }
    return new Decisions(chosen, fellBack);
  }

  /**
   * The first available agent of a row in index order.
   *
   * @throws IllegalArgumentException when no agent is available on the row
   */
  public static int firstAvailable(CostMatrix costs, int row) {
    for (int j = 0; j < costs.agentCount(); j++) {
      if (costs.available(row, j)) {
        return j;
      }
    }
    throw new IllegalArgumentException(
        "row " + row + ": no agent is available (every cost is NaN), so it cannot be decided");
  }

  /** Number of rows. */
  public int rows() {
    return agents.length;
  }

  /** The agent chosen for row {@code i}. */
  public int agent(int i) {
    return agents[i];
  }

  /** Whether row {@code i}'s choice came from the fallback rule. */
  public boolean fellBack(int i) {
    return fallback[i];
  }

  /** Number of rows decided by the fallback rule. */
  public int fallbackCount() {
    return fallbackCount;
  }

  /** A copy of the chosen agents. */
  public int[] agents() {
    return agents.clone();
  }

  /** A copy of the fallback flags. */
  public boolean[] fallbacks() {
    return fallback.clone();
  }
}
