package org.defer4j.core.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;

/**
 * The architecture of a scorer, without weights: what an artifact needs, next to the parameter
 * vector, to rebuild it exactly ({@link ScorerState}).
 *
 * @param kind linear or multi-layer perceptron
 * @param inputDim d ≥ 1
 * @param outputDim A ≥ 1
 * @param hidden hidden layer widths, input side first: empty for {@link Kind#LINEAR}, at least one
 *     for {@link Kind#MLP} (copied in and out)
 * @param activation hidden-layer activation for {@link Kind#MLP}; {@code null} for {@link
 *     Kind#LINEAR}
 * @param l2 the L2 coefficient λ ≥ 0 of {@link Scorer#penalty(double[])}, on weights only
 */
public record ScorerSpec(
    Kind kind, int inputDim, int outputDim, int[] hidden, Activation activation, double l2) {

  /** The scorer families. */
  public enum Kind {
    /** s = W x + b ({@link LinearScorer}). */
    LINEAR,
    /** Fully connected layers with an activation between them ({@link MlpScorer}). */
    MLP
  }

  /**
   * Validates the architecture.
   *
   * @throws IllegalArgumentException naming the offending value
   */
  public ScorerSpec {
    if (kind == null) {
      throw new IllegalArgumentException("scorer kind must be given (LINEAR or MLP)");
    }
    Checks.checkPositive("input dimension", inputDim);
    Checks.checkPositive("output dimension", outputDim);
    Checks.checkNonNegative("l2 coefficient", l2);
    hidden = hidden == null ? new int[0] : hidden.clone();
    for (int i = 0; i < hidden.length; i++) {
      Checks.checkPositive("hidden layer " + i + " width", hidden[i]);
    }
    if (kind == Kind.LINEAR) {
      if (hidden.length != 0 || activation != null) {
        throw new IllegalArgumentException(
            "a LINEAR scorer has no hidden layers and no activation, got hidden "
                + Arrays.toString(hidden)
                + " and activation "
                + activation);
      }
    } else {
      if (hidden.length == 0) {
        throw new IllegalArgumentException("an MLP scorer needs at least one hidden layer");
      }
      if (activation == null) {
        throw new IllegalArgumentException("an MLP scorer needs an activation (RELU, TANH, GELU)");
      }
    }
    long count = 0;
    int in = inputDim;
    for (int i = 0; i <= hidden.length; i++) {
      int out = i < hidden.length ? hidden[i] : outputDim;
      count += (long) out * in + out;
      in = out;
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "scorer has " + count + " parameters, more than a Java array holds");
    }
  }

  /** A linear scorer d → A with no penalty. */
  public static ScorerSpec linear(int inputDim, int outputDim) {
    return new ScorerSpec(Kind.LINEAR, inputDim, outputDim, new int[0], null, 0);
  }

  /** An MLP d → hidden[0] → … → A with the given hidden activation and no penalty. */
  public static ScorerSpec mlp(int inputDim, int outputDim, Activation activation, int... hidden) {
    return new ScorerSpec(Kind.MLP, inputDim, outputDim, hidden, activation, 0);
  }

  /** This architecture with L2 coefficient {@code l2}. */
  public ScorerSpec withL2(double l2) {
    return new ScorerSpec(kind, inputDim, outputDim, hidden, activation, l2);
  }

  /** Hidden widths (a copy). */
  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  /** The widths of every layer boundary: d, hidden…, A. */
  public int[] layerSizes() {
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = inputDim;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = outputDim;
    return sizes;
  }

  /** The length of the parameter vector: Σ_layers (out · in + out). */
  public int parameterCount() {
    int count = 0;
    int in = inputDim;
    for (int i = 0; i <= hidden.length; i++) {
      int out = i < hidden.length ? hidden[i] : outputDim;
      count += out * in + out;
      in = out;
    }
    return count;
  }

  /**
   * A freshly initialised scorer: weights drawn from a centred normal law with He's variance 2 /
   * fan_in for layers followed by ReLU or GELU and Glorot's 2 / (fan_in + fan_out) for layers
   * followed by tanh and for the output layer; biases 0. Draws come from {@code rng} in parameter
   * order, so the same seed gives the same scorer bit for bit.
   */
  public Scorer create(SplittableRandom rng) {
    double[] theta = new double[parameterCount()];
    int[] sizes = layerSizes();
    int offset = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      boolean outputLayer = l + 2 == sizes.length;
      double variance = !outputLayer && activation.heInitialised() ? 2.0 / in : 2.0 / (in + out);
      Gaussian.fill(rng, theta, offset, out * in, Math.sqrt(variance));
      offset += out * in + out;
    }
    return build(theta);
  }

  Scorer build(double[] theta) {
    return kind == Kind.LINEAR ? new LinearScorer(this, theta) : new MlpScorer(this, theta);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScorerSpec s
        && kind == s.kind
        && inputDim == s.inputDim
        && outputDim == s.outputDim
        && Arrays.equals(hidden, s.hidden)
        && activation == s.activation
        && Double.compare(l2, s.l2) == 0;
  }

  @Override
  public int hashCode() {
    int h = kind.hashCode();
    h = 31 * h + inputDim;
    h = 31 * h + outputDim;
    h = 31 * h + Arrays.hashCode(hidden);
    h = 31 * h + (activation == null ? 0 : activation.hashCode());
    return 31 * h + Double.hashCode(l2);
  }

  @Override
  public String toString() {
    return kind == Kind.LINEAR
        ? "linear(" + inputDim + " → " + outputDim + ", l2=" + l2 + ")"
        : "mlp("
            + inputDim
            + " → "
            + Arrays.toString(hidden)
            + " → "
            + outputDim
            + ", "
            + activation
            + ", l2="
            + l2
            + ")";
  }
}
