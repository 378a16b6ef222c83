package org.defer4j.core.model;

import org.defer4j.core.Checks;

/**
 * The linear scorer s(x) = W x + b with W ∈ ℝ^{A×d} and b ∈ ℝ^A: the hypothesis class of the linear
 * L2D results (Mozannar et al. 2023's realizable surrogate and exact MILP, Mao et al.'s
 * H-consistency bounds for linear classes).
 *
 * <p>Parameter layout: W row-major (W[a][j] at {@code a·d + j}), then b (at {@code A·d + a}).
 * Gradients: ∂L/∂W = g xᵀ, ∂L/∂b = g, ∂L/∂x = Wᵀ g with g = ∂L/∂s.
 *
 * <p>Create one with {@link Scorers#linear} or {@link ScorerSpec#linear}; see {@link Scorer} for
 * the calling conventions and threading.
 */
public final class LinearScorer extends DenseNetwork {
  LinearScorer(ScorerSpec spec, double[] theta) {
    super(spec, theta);
  }

  /** W[a][j], the weight of feature j in score a. */
  public double weight(int a, int j) {
    Checks.checkIndex("score", a, outputDim());
    Checks.checkIndex("feature", j, inputDim());
    return parameters()[a * inputDim() + j];
  }

  /** b[a], the bias of score a. */
  public double bias(int a) {
    Checks.checkIndex("score", a, outputDim());
    return parameters()[outputDim() * inputDim() + a];
  }

  @Override
  public LinearScorer copy() {
    requireOutputMajor("copy");
    return new LinearScorer(spec(), parameters().clone());
  }
}
