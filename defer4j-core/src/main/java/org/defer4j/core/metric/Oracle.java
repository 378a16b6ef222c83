package org.defer4j.core.metric;

import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.policy.Decisions;

/**
 * The oracle: each case to its cheapest available agent (lowest index on ties), the lower bound on
 * the system cost of any policy over these agents. It reads the outcomes, so it is a reference
 * point of evaluation, not a deployable policy.
 */
public final class Oracle {
  private Oracle() {}

  /** The name reports give the oracle. */
  public static final String NAME = "oracle";

  /**
   * The oracle's decisions.
   *
   * @throws IllegalArgumentException naming the row when a case has no agent with a known cost
   */
  public static Decisions decisions(CostMatrix costs) {
    int n = costs.rows();
    int[] chosen = new int[n];
    for (int i = 0; i < n; i++) {
      chosen[i] = costs.cheapest(i);
      if (chosen[i] < 0) {
        throw new IllegalArgumentException(
            "row " + (i + 1) + ": no agent's cost is known, so the oracle cannot decide it");
      }
    }
    return Decisions.builder(costs.agents(), chosen).build();
  }
}
