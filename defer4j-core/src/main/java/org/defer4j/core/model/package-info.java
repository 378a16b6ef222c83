/**
 * Scorers: differentiable maps from a feature vector x ∈ ℝ^d to A scores s(x) ∈ ℝ^A, the "h" and
 * "r" of the learning-to-defer literature (DESIGN.md §6). Surrogate losses turn scores into a loss
 * and hand back ∂L/∂s; a scorer turns that into ∂L/∂θ (for training) or ∂L/∂x (for adversarial
 * attacks on the allocation, Montreuil et al. 2025).
 *
 * <p>The embedded scorers are {@link org.defer4j.core.model.LinearScorer} (s = W x + b) and {@link
 * org.defer4j.core.model.MlpScorer} (fully connected, ReLU / tanh / GELU). Both keep every
 * parameter in one flat {@code double[]} so that optimizers ({@link org.defer4j.core.optim}) see a
 * vector, and both are described exactly by a {@link org.defer4j.core.model.ScorerState}
 * (architecture + weights) that artifacts persist and {@link
 * org.defer4j.core.model.Scorers#fromState} restores.
 *
 * <p>Threading: a scorer's parameters are shared and only read by forward and backward passes;
 * every mutable buffer lives in a {@link org.defer4j.core.model.Workspace}, one per thread.
 */
package org.defer4j.core.model;
