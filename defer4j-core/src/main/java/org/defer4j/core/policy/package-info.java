/**
 * The decision contract (DESIGN.md §3): a policy decides from cases and an {@link
 * org.defer4j.core.policy.Availability} — never from outcomes — and gives every case a {@link
 * org.defer4j.core.policy.Decision}: the chosen agent (0 = the model, 1..J = experts), or later an
 * ordered committee or a set; each agent's score; each agent's expected cost where the policy has
 * an estimate; why every other agent was passed over; and the learned model's own answer for
 * one-stage policies. {@link org.defer4j.core.policy.Decisions} holds a batch by column.
 *
 * <p>{@link org.defer4j.core.policy.LearnedPolicy} is what training produces: a feature pipeline, a
 * scorer, a {@link org.defer4j.core.policy.ScoreHead} (the surrogate's score layout read as one
 * score per agent) and a {@link org.defer4j.core.policy.DecisionRule} (argmax over the available
 * agents, a rejection threshold; later top-k, conformal and budget-aware rules). When the agent a
 * policy prefers is unavailable it falls back to the best-scored available agent (policies without
 * scores: the first available in index order), and the decision says so.
 *
 * <p>{@link org.defer4j.core.policy.Policies} is the catalogue of deployable baselines (model
 * alone, an expert alone, random deferral, Chow's confidence threshold) and parses their CLI
 * spelling; the oracle reads outcomes, so it lives with evaluation ({@link
 * org.defer4j.core.metric.Oracle}). Fitted baselines are policies of their own: {@link
 * org.defer4j.core.policy.CompareConfidence} (Raghu et al. 2019) sends a case to the agent of least
 * estimated expected cost, comparing the model's confidence (a {@link
 * org.defer4j.core.policy.ModelConfidence}) with a logistic estimate of each expert's correctness;
 * {@code org.defer4j.core.train.CompareConfidenceTrainer} fits it. {@link
 * org.defer4j.core.policy.BayesRules} holds the Bayes-optimal rules of the L2D survey (eq. 3 and
 * the argmin of expected costs) that learned policies are checked against.
 */
package org.defer4j.core.policy;
