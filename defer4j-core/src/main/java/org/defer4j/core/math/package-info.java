/**
 * Stable numerics: the one place where defer4j takes exponentials and logarithms of raw scores.
 *
 * <p>{@link org.defer4j.core.math.StableMath} holds log-sum-exp with a max shift, (log-)softmax,
 * sign-branched sigmoid, softplus, the logistic margin φ(z) = log(1 + e^{−z}) and log1mexp. Losses,
 * scorers and policies call these and never {@code Math.exp} of a raw score, so that every value
 * stays finite for scores of ±1e3.
 *
 * <p>{@link org.defer4j.core.math.Sampling} holds the seeded shuffles and permutations and the mean
 * / sample deviation that trainers, studies and commands share.
 */
package org.defer4j.core.math;
