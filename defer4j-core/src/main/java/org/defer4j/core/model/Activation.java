package org.defer4j.core.model;

/**
 * Element-wise activation of the hidden layers of an {@link MlpScorer}.
 *
 * <ul>
 *   <li>{@link #RELU}: max(0, z); the derivative at 0 is taken as 0.
 *   <li>{@link #TANH}: tanh(z), derivative 1 − tanh²(z).
 *   <li>{@link #GELU}: the tanh approximation of the Gaussian error linear unit (Hendrycks &amp;
 *       Gimpel 2016), 0.5 z (1 + tanh(√(2/π) (z + 0.044715 z³))), the same function as PyTorch's
 *       {@code GELU(approximate="tanh")}.
 * </ul>
 */
public enum Activation {
  /** Rectified linear unit. */
  RELU {
    @Override
    public double apply(double z) {
      return z > 0 ? z : 0;
    }

    @Override
    public double derivative(double z, double a) {
      return z > 0 ? 1 : 0;
    }
  },
  /** Hyperbolic tangent. */
  TANH {
    @Override
    public double apply(double z) {
      return Math.tanh(z);
    }

    @Override
    public double derivative(double z, double a) {
      return 1 - a * a;
    }
  },
  /** GELU, tanh approximation. */
  GELU {
    @Override
    public double apply(double z) {
      return 0.5 * z * (1 + Math.tanh(SQRT_2_OVER_PI * (z + GELU_CUBIC * z * z * z)));
    }

    @Override
    public double derivative(double z, double a) {
      double t = Math.tanh(SQRT_2_OVER_PI * (z + GELU_CUBIC * z * z * z));
      return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * z * z);
    }
  };

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double GELU_CUBIC = 0.044715;

  /** The activation σ(z). */
  public abstract double apply(double z);

  /**
   * The derivative σ'(z).
   *
   * @param z the pre-activation
   * @param a σ(z), already computed by the forward pass (tanh reuses it)
   */
  public abstract double derivative(double z, double a);

  /**
   * Whether the default initialisation of a layer followed by this activation is He's (ReLU-like
   * units, std √(2/fan_in)) rather than Glorot's (std √(2/(fan_in + fan_out))).
   */
  boolean heInitialised() {
    return this != TANH;
  }
}
