/**
 * Metrics of deferral systems: what a policy's decisions cost and how accurate they are. {@link
 * org.defer4j.core.metric.Evaluation} is the one place where decisions meet outcomes, under one
 * task; {@link org.defer4j.core.metric.Oracle} is the hindsight reference.
 *
 * <p>{@link org.defer4j.core.metric.DeferralMetrics} turns a cost matrix and decisions into a
 * {@link org.defer4j.core.metric.DeferralReport} (system accuracy and cost, coverage, allocation,
 * per-agent accuracy, fallbacks, per-group breakdown); {@link
 * org.defer4j.core.metric.AccuracyCoverageCurve} sweeps coverage for any rejection score; {@link
 * org.defer4j.core.metric.Calibration} measures how well expert-correctness (or any) probabilities
 * are calibrated (ECE, MCE, reliability diagrams); {@link org.defer4j.core.metric.Bootstrap} gives
 * seeded percentile confidence intervals. The L2D survey asks reports to show exactly these:
 * accuracy–coverage curves, expert-correctness calibration, cost and workload.
 *
 * <p>{@link org.defer4j.core.metric.Evaluator} is the evaluation a report renders: learned
 * policies, baselines and references (the oracle) on one table under one task, each with the
 * metrics above, the cost split into error and fee, per-agent workload, one-pass Poisson bootstrap
 * intervals, paired differences against the best baseline, and margin, oracle and random coverage
 * curves, into an immutable {@link org.defer4j.core.metric.EvaluationResult}; {@link
 * org.defer4j.core.metric.TaskCheck} decides whether a policy trained for one task may be scored
 * under another.
 *
 * <p>Conventions: shares and means are weighted by the table's {@code weight} column when it has
 * one; a quantity over an empty set of rows (no row kept, an empty group, n = 0) is NaN, never 0;
 * accuracy is NaN when the chosen agent's correctness is unknown (regression, custom costs).
 */
package org.defer4j.core.metric;
