package org.defer4j.core.optim;

import org.defer4j.core.Checks;

/**
 * {@link Adam}'s update in float32: the parameters, gradients and both moment estimates are float
 * arrays and every element-wise operation is rounded to float32, the bias corrections 1 − β₁ᵗ and 1
 * − β₂ᵗ being computed in float64 and rounded once per step — the arithmetic of PyTorch's {@code
 * torch.optim.Adam} on float32 parameters. Half the memory traffic of the float64 update and twice
 * the lanes per vector instruction, for the float32 training path of {@code
 * org.defer4j.core.train.ScorerFitter}.
 */
public final class Float32Adam {
  private final AdamOptions options;
  private final float[][] m;
  private final float[][] v;
  private long steps;

  /**
   * @param options the hyper-parameters
   * @param shape the parameter rows to update (only their lengths are read)
   */
  public Float32Adam(AdamOptions options, float[][] shape) {
    this.options = options;
    Checks.checkPositive("rows", shape.length);
    this.m = new float[shape.length][];
    this.v = new float[shape.length][];
    for (int r = 0; r < shape.length; r++) {
      m[r] = new float[shape[r].length];
      v[r] = new float[shape[r].length];
    }
  }

  /**
   * One step with a gradient the caller has found finite (see {@link Checks#allFinite(float[][])}),
   * parameters and gradient as rows of the shape given at construction.
   *
   * @throws IllegalArgumentException on a shape mismatch
   */
  public void step(float[][] params, float[][] grad) {
    Checks.checkDimension("parameter rows", params.length, m.length);
    Checks.checkDimension("gradient rows", grad.length, m.length);
    for (int r = 0; r < m.length; r++) {
      Checks.checkDimension("parameter row", params[r].length, m[r].length);
      Checks.checkDimension("gradient row", grad[r].length, m[r].length);
    }
    steps++;
    double lr = options.learningRate();
    float beta1 = (float) options.beta1();
    float beta2 = (float) options.beta2();
    float oneMinusBeta1 = (float) (1 - options.beta1());
    float oneMinusBeta2 = (float) (1 - options.beta2());
    float eps = (float) options.epsilon();
    float stepSize = (float) (lr / (1 - Math.pow(options.beta1(), steps)));
    float inverseSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(options.beta2(), steps)));
    float decay = (float) (1 - lr * options.weightDecay());
    for (int r = 0; r < m.length; r++) {
      update(
          params[r],
          grad[r],
          m[r],
          v[r],
          beta1,
          oneMinusBeta1,
          beta2,
          oneMinusBeta2,
          eps,
          stepSize,
          inverseSqrtCorrection2,
          decay);
    }
  }

  // One row: whole arrays, so that the JIT vectorises the loop.
  private static void update(
      float[] p,
      float[] grad,
      float[] m,
      float[] v,
      float beta1,
      float oneMinusBeta1,
      float beta2,
      float oneMinusBeta2,
      float eps,
      float stepSize,
      float inverseSqrtCorrection2,
      float decay) {
    for (int i = 0; i < p.length; i++) {
      float g = grad[i];
      float mi = beta1 * m[i] + oneMinusBeta1 * g;
      float vi = beta2 * v[i] + oneMinusBeta2 * g * g;
      m[i] = mi;
      v[i] = vi;
      float denominator = (float) Math.sqrt(vi) * inverseSqrtCorrection2 + eps;
      p[i] = p[i] * decay - stepSize * mi / denominator;
    }
  }

  /** The number of steps taken. */
  public long steps() {
    return steps;
  }
}
