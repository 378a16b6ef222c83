/**
 * Deferral policies: rules that give each case to one agent (0 = the model, 1..J = experts).
 *
 * <p>A {@link org.defer4j.core.policy.DeferralPolicy} only ever chooses an agent that is available
 * on the row ({@link org.defer4j.core.cost.CostMatrix#available}); when the agent it prefers is
 * not, it falls back to the first available agent in index order, and {@link
 * org.defer4j.core.policy.Decisions} records which rows fell back so that metrics can count them.
 *
 * <p>{@link org.defer4j.core.policy.Policies} is the catalogue of baselines (model alone, an expert
 * alone, the oracle, random deferral, Chow's confidence threshold) and parses their CLI spelling;
 * {@link org.defer4j.core.policy.BayesRules} holds the Bayes-optimal rules of the L2D survey (eq. 3
 * and the argmin of expected costs) that learned policies are checked against.
 */
package org.defer4j.core.policy;
