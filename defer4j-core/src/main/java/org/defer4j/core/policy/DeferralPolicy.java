package org.defer4j.core.policy;

import org.defer4j.core.data.DeferralTable;

/**
 * A rule that decides, for every case of a table, which agent acts: 0 is the model, 1..J are the
 * experts in the order of the task's {@link org.defer4j.core.agent.AgentSet}.
 *
 * <p>Contract: a policy decides from what is known before the outcome — the cases (features, the
 * frozen model's outputs, ids) and an {@link Availability} — and never reads outcomes (truth, the
 * experts' answers, costs); it chooses only available agents, applying the fallback rule of {@link
 * Decisions} when the agent it prefers is unavailable. Policies never modify their inputs, give the
 * same answer for the same inputs (random policies are seeded) and are safe to share between
 * threads. References that need the outcomes, such as the oracle, belong to evaluation ({@link
 * org.defer4j.core.metric.Oracle}).
 */
public interface DeferralPolicy {

  /**
   * The decisions for every case.
   *
   * @param cases the cases (features, the frozen model's outputs when the policy reads them)
   * @param availability which agents may be asked for each case; its rows match {@code cases}
   * @return one decision per case, each on an available agent
   * @throws IllegalArgumentException when the row counts differ, the cases lack an input the policy
   *     reads, or a case has no available agent
   */
  Decisions decide(DeferralTable cases, Availability availability);

  /** A short name for reports, e.g. {@code expert:alice}. */
  String name();
}
