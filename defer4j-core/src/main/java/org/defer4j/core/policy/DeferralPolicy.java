package org.defer4j.core.policy;

import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;

/**
 * A rule that gives every row of a table to one agent: 0 is the model, 1..J are the experts in the
 * order of the cost matrix's {@link org.defer4j.core.agent.AgentSet}.
 *
 * <p>Contract: a policy chooses only agents that are available on the row ({@link
 * CostMatrix#available}). When the agent it prefers is unavailable it applies the fallback rule of
 * {@link Decisions} (first available agent in index order) and reports the row through {@link
 * #decideTracked}, so that metrics can count fallbacks. Policies never modify their inputs and give
 * the same answer for the same inputs (random policies are seeded).
 */
public interface DeferralPolicy {

  /**
   * The chosen agent per row.
   *
   * @param table the cases (features, the frozen model's probabilities, weights); its rows match
   *     {@code costs}
   * @param costs the cost matrix, whose NaN cells mark unavailable agents
   * @return n agent indices, each available on its row
   * @throws IllegalArgumentException when the row counts differ or a row has no available agent
   */
  int[] decide(DeferralTable table, CostMatrix costs);

  /** A short name for reports, e.g. {@code expert:alice}. */
  String name();

  /**
   * The decisions with the rows that fell back flagged. The default wraps {@link #decide} and flags
   * nothing; policies that have a preferred agent override it.
   */
  default Decisions decideTracked(DeferralTable table, CostMatrix costs) {
    return Decisions.of(decide(table, costs));
  }
}
