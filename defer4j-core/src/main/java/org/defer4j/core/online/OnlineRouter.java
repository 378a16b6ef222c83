package org.defer4j.core.online;

import java.util.List;
import org.defer4j.core.policy.Decision;

/**
 * An online deferral router. Each round: {@link #decide} sees an {@link OnlineRound} (context and
 * availability, never outcomes) and returns a {@link Decision} choosing one available agent; then
 * {@link #update} receives the outcomes the feedback mode reveals — in {@link FeedbackMode#BANDIT}
 * exactly the chosen agent's, in {@link FeedbackMode#FULL} every available agent's.
 *
 * <p>Agents are keyed by name; a router creates an agent's learned part when the agent first
 * appears and may prune it after an absence (see {@link AgentRegistry}). Routers are stateful and
 * not thread-safe; {@link #state()} exports the learned state as plain arrays.
 */
public interface OnlineRouter {
  /** The method's name, e.g. {@code linucb}. */
  String name();

  /**
   * Chooses one available agent for the round.
   *
   * @return a decision of kind {@link Decision.Kind#AGENT} over {@code round.agents()}, whose
   *     chosen agent is available; its scores are the router's preference (higher = preferred) and
   *     its expected costs the router's estimates where it has them
   */
  Decision decide(OnlineRound round);

  /**
   * Learns from the round's revealed outcomes. Must be called after {@link #decide} on the same
   * round, before the next {@code decide}.
   *
   * @param round the round just decided
   * @param decision what {@link #decide} returned
   * @param revealed the revealed outcomes (the chosen agent's first)
   */
  void update(OnlineRound round, Decision decision, List<Outcome> revealed);

  /** The learned state, for snapshots (a copy). */
  OnlineState state();

  /**
   * Replaces the learned state by a snapshot that {@link #state()} of a router of the same method,
   * settings and context dimension produced (for example before a restart). Predictions after the
   * restore are those of the router that was snapshotted; a router that draws at random continues
   * with a fresh stream of draws seeded from its seed and the snapshot's round count.
   *
   * @throws IllegalArgumentException when the snapshot is of another method or has the wrong shapes
   */
  void restore(OnlineState snapshot);
}
