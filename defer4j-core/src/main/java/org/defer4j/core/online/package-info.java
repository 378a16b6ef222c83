/**
 * Online deferral: a router that, round after round, receives a context and the set of agents
 * available now, chooses one through the decision contract ({@link
 * org.defer4j.core.policy.Decision}), and then learns from what the feedback mode reveals — the
 * chosen agent's outcome only ({@link org.defer4j.core.online.FeedbackMode#BANDIT}) or every
 * available agent's ({@link org.defer4j.core.online.FeedbackMode#FULL}).
 *
 * <p>Agents are keyed by name, never by position: an agent may appear for the first time at any
 * round, leave and come back. Every method keeps its per-agent parts in an {@link
 * org.defer4j.core.online.AgentRegistry}, which creates them on arrival and prunes them after a
 * configurable absence. Methods ({@link org.defer4j.core.online.OnlineMethods}): {@link
 * org.defer4j.core.online.LinUcb} (one ridge model per agent, optionally discounted), {@link
 * org.defer4j.core.online.JointLinearBandit} (shared-feature LinUCB and linear Thompson sampling),
 * {@link org.defer4j.core.online.OnlineL2d} (SGD on the complementary-cost surrogate, full or
 * importance-weighted bandit), {@link org.defer4j.core.online.L2dSlds} (Montreuil et al., arXiv
 * 2601.22538) and {@link org.defer4j.core.online.RandomRouter}. {@link
 * org.defer4j.core.online.OnlineReplay} replays a time-ordered stream and reveals outcomes only as
 * the feedback mode allows. Every router's learned state can be exported as an {@link
 * org.defer4j.core.online.OnlineState} (plain arrays, JSON-ready) and restored into a fresh router
 * ({@link org.defer4j.core.online.OnlineRouter#restore}), for snapshots across restarts.
 */
package org.defer4j.core.online;
