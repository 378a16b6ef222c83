package org.defer4j.core.optim;

import org.defer4j.core.Checks;

/**
 * Adam (Kingma &amp; Ba, ICLR 2015), with optional decoupled weight decay (AdamW, Loshchilov &amp;
 * Hutter, ICLR 2019). At step t ≥ 1, for every coordinate:
 *
 * <pre>
 *   θ ← θ − η λ θ                                  (only when λ &gt; 0)
 *   m ← β₁ m + (1 − β₁) g,    v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 *
 * <p>the same update as PyTorch's {@code torch.optim.AdamW} (and {@code Adam} when λ = 0).
 */
public final class Adam implements Optimizer {
  private final AdamOptions options;
  private final double[] m;
  private final double[] v;
  private double learningRate;
  private long steps;

  /**
   * @param options the hyper-parameters
   * @param dimension the length of the parameter vectors to update
   */
  public Adam(AdamOptions options, int dimension) {
    this.options = options;
    Checks.checkPositive("dimension", dimension);
    this.m = new double[dimension];
    this.v = new double[dimension];
    this.learningRate = options.learningRate();
  }

  /** The options this optimizer was built with (its current learning rate may differ). */
  public AdamOptions options() {
    return options;
  }

  @Override
  public void step(double[] params, double[] grad) {
    Gradients.checkStep("Adam", steps + 1, m.length, params, grad);
    update(params, grad);
  }

  @Override
  public void stepFinite(double[] params, double[] grad) {
    Gradients.checkLengths(m.length, params, grad);
    update(params, grad);
  }

  private void update(double[] params, double[] grad) {
    steps++;
    double beta1 = options.beta1();
    double beta2 = options.beta2();
    double eps = options.epsilon();
    double correction1 = 1 - Math.pow(beta1, steps);
    double correction2 = 1 - Math.pow(beta2, steps);
    double stepSize = learningRate / correction1;
    double inverseSqrtCorrection2 = 1 / Math.sqrt(correction2);
    double decay = 1 - learningRate * options.weightDecay();
    for (int i = 0; i < params.length; i++) {
      double g = grad[i];
      double mi = beta1 * m[i] + (1 - beta1) * g;
      double vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] =
          params[i] * decay - stepSize * mi / (Math.sqrt(vi) * inverseSqrtCorrection2 + eps);
    }
  }

  @Override
  public int dimension() {
    return m.length;
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public void setLearningRate(double learningRate) {
    this.learningRate = Gradients.checkLearningRate(learningRate);
  }

  /** The first-moment estimates m (a copy). */
  public double[] firstMoments() {
    return m.clone();
  }

  /** The second-moment estimates v (a copy). */
  public double[] secondMoments() {
    return v.clone();
  }

  /**
   * Sets the state, as if {@code steps} steps had produced these moments: how data-parallel
   * training hands an averaged optimizer state to the next round of local steps.
   *
   * @throws IllegalArgumentException on a length mismatch or negative steps
   */
  public void restore(double[] firstMoments, double[] secondMoments, long steps) {
    Checks.checkDimension("first moments", firstMoments.length, m.length);
    Checks.checkDimension("second moments", secondMoments.length, v.length);
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    System.arraycopy(firstMoments, 0, m, 0, m.length);
    System.arraycopy(secondMoments, 0, v, 0, v.length);
    this.steps = steps;
  }

  @Override
  public void reset() {
    java.util.Arrays.fill(m, 0);
    java.util.Arrays.fill(v, 0);
    steps = 0;
    learningRate = options.learningRate();
  }
}
