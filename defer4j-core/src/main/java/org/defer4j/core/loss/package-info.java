/**
 * Losses of learning to defer: the surrogate losses that trainers minimise, with their gradients
 * with respect to the raw scores, and (added alongside) the target losses that metrics report.
 *
 * <p>The contract is {@link org.defer4j.core.loss.Surrogate}: {@code double evaluate(double[]
 * scores, Target target, double[] gradOut)} returns the per-example loss (minimised, natural log),
 * overwrites {@code gradOut} and never modifies its inputs. What the example says — label y,
 * per-agent correctness e_j and costs c_j (NaN = the agent did not see the case, masked out), the
 * numeric target t — travels in a {@link org.defer4j.core.loss.Target}, indexed by agent like a
 * {@link org.defer4j.core.cost.CostMatrix} row (0 = the model). Each surrogate declares a {@link
 * org.defer4j.core.loss.ScoreLayout}: one-stage score-based losses read K class scores followed by
 * J deferral scores; two-stage losses read one score per agent.
 *
 * <p>Find every method in {@link org.defer4j.core.loss.Surrogates} (static factories, {@code
 * byName} and {@code catalogue()}). The comp-sum link Ψ shared by several families is {@link
 * org.defer4j.core.loss.Psi}. Numerics come from {@link org.defer4j.core.math.StableMath}: no
 * exponential of a raw score is taken without a max shift, so the bounded surrogates stay finite
 * for scores of ±1e3.
 */
package org.defer4j.core.loss;
