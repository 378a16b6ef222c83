package org.defer4j.core.optim;

import org.defer4j.core.Checks;

/**
 * Stochastic gradient descent with momentum (Polyak's heavy ball; Nesterov's variant as in
 * Sutskever et al., ICML 2013), written as PyTorch's {@code torch.optim.SGD} without dampening:
 *
 * <pre>
 *   g ← g + λ θ
 *   u ← μ u + g               (u = g at the first step)
 *   d ← g + μ u  (Nesterov)  or  d ← u  (heavy ball);   d ← g when μ = 0
 *   θ ← θ − η d
 * </pre>
 */
public final class Sgd implements Optimizer {
  private final SgdOptions options;
  private final double[] velocity;
  private double learningRate;
  private long steps;

  /**
   * @param options the hyper-parameters
   * @param dimension the length of the parameter vectors to update
   */
  public Sgd(SgdOptions options, int dimension) {
    this.options = options;
    Checks.checkPositive("dimension", dimension);
    this.velocity = new double[dimension];
    this.learningRate = options.learningRate();
  }

  /** The options this optimizer was built with (its current learning rate may differ). */
  public SgdOptions options() {
    return options;
  }

  @Override
  public void step(double[] params, double[] grad) {
    Gradients.checkStep("SGD", steps + 1, velocity.length, params, grad);
    update(params, grad);
  }

  @Override
  public void stepFinite(double[] params, double[] grad) {
    Gradients.checkLengths(velocity.length, params, grad);
    update(params, grad);
  }

  private void update(double[] params, double[] grad) {
    steps++;
    double mu = options.momentum();
    double lambda = options.weightDecay();
    boolean first = steps == 1;
    for (int i = 0; i < params.length; i++) {
      double g = grad[i] + lambda * params[i];
      double d = g;
      if (mu != 0) {
        double u = first ? g : mu * velocity[i] + g;
        velocity[i] = u;
        d = options.nesterov() ? g + mu * u : u;
      }
      params[i] -= learningRate * d;
    }
  }

  @Override
  public int dimension() {
    return velocity.length;
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

  @Override
  public void reset() {
    java.util.Arrays.fill(velocity, 0);
    steps = 0;
    learningRate = options.learningRate();
  }
}
