package org.defer4j.core.model;

/**
 * A multi-layer perceptron: z_l = W_l a_{l−1} + b_l, a_l = σ(z_l) for the hidden layers (a_0 = x)
 * and s = W_L a_{L−1} + b_L for the scores, with σ one of {@link Activation}. The classic
 * rejector/classifier of the deep L2D experiments, for tabular or embedded inputs.
 *
 * <p>Parameter layout: layer by layer from the input side, each as W_l row-major (out × in) then
 * b_l (see {@link ScorerState}).
 *
 * <p>Create one with {@link Scorers#mlp} or {@link ScorerSpec#mlp}; see {@link Scorer} for the
 * calling conventions and threading.
 */
public final class MlpScorer extends DenseNetwork {
  MlpScorer(ScorerSpec spec, double[] theta) {
    super(spec, theta);
  }

  /** The hidden-layer widths, input side first (a copy). */
  public int[] hidden() {
    return spec().hidden();
  }

  /** The hidden-layer activation. */
  public Activation activation() {
    return spec().activation();
  }

  @Override
  public MlpScorer copy() {
    requireOutputMajor("copy");
    return new MlpScorer(spec(), parameters().clone());
  }
}
