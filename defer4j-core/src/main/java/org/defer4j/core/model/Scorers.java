package org.defer4j.core.model;

import java.util.SplittableRandom;

/** The catalogue of embedded scorers. */
public final class Scorers {
  private Scorers() {}

  /** A linear scorer s = W x + b, d → A, initialised from {@code rng} (see {@link ScorerSpec}). */
  public static LinearScorer linear(int inputDim, int outputDim, SplittableRandom rng) {
    return (LinearScorer) ScorerSpec.linear(inputDim, outputDim).create(rng);
  }

  /** A multi-layer perceptron d → hidden… → A, initialised from {@code rng}. */
  public static MlpScorer mlp(
      int inputDim, int outputDim, Activation activation, SplittableRandom rng, int... hidden) {
    return (MlpScorer) ScorerSpec.mlp(inputDim, outputDim, activation, hidden).create(rng);
  }

  /** A freshly initialised scorer of the given architecture. */
  public static Scorer create(ScorerSpec spec, SplittableRandom rng) {
    return spec.create(rng);
  }

  /** The scorer described by {@code state}, with its own copy of the parameters. */
  public static Scorer fromState(ScorerState state) {
    return state.toScorer();
  }
}
