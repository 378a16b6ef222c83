package org.defer4j.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.defer4j.core.Checks;
import org.defer4j.core.optim.Adam;
import org.defer4j.core.optim.AdamOptions;
import org.defer4j.core.optim.Float32Adam;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-step work of a minibatch fit that does not depend on the batch: one Adam step ({@code
 * stepFinite}, as the fitter calls it after its divergence check) and that check's scan of the
 * gradient ({@code Checks.allFinite}), over the parameters of the MLP(64) scorers of the
 * training-throughput benchmark: 131,396 for 2,048 inputs (the hashed HateSpeech features) and
 * 16,708 for 256 (the dense file), 4 outputs. Seeded uniform gradients in ±5e−4; one thread. Adam's
 * element-wise update takes a square root and a division per parameter in float64, which sets a
 * floor under every step of a fit with that many parameters. The float32 path's step ({@link
 * Float32Adam}) and scan run over the same parameters held as {@code Float32Network} holds them:
 * one row of 64 per input, then the output layer's rows of 4.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OptimizerBenchmark {
  /** The number of parameters. */
  @Param({"131396", "16708"})
  public int parameters;

  private Adam adam;
  private double[] params;
  private double[] grad;
  private Float32Adam adam32;
  private float[][] params32;
  private float[][] grad32;

  /** Builds the optimizer, the parameters and the gradient. */
  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(42);
    adam = new Adam(AdamOptions.defaults(), parameters);
    params = new double[parameters];
    grad = new double[parameters];
    for (int i = 0; i < parameters; i++) {
      params[i] = rng.nextDouble() - 0.5;
      grad[i] = 1e-3 * (rng.nextDouble() - 0.5);
    }
    // 64 (d + 1) + 4 · 65 parameters: d + 1 rows of 64, then 65 rows of 4.
    int inputs = (parameters - 4 * 65) / 64 - 1;
    params32 = new float[inputs + 1 + 65][];
    grad32 = new float[params32.length][];
    int k = 0;
    for (int r = 0; r < params32.length; r++) {
      int len = r <= inputs ? 64 : 4;
      params32[r] = new float[len];
      grad32[r] = new float[len];
      for (int i = 0; i < len; i++, k++) {
        params32[r][i] = (float) params[k];
        grad32[r][i] = (float) grad[k];
      }
    }
    if (k != parameters) {
      throw new IllegalStateException(k + " float32 parameters for " + parameters);
    }
    adam32 = new Float32Adam(AdamOptions.defaults(), params32);
  }

  /** One Adam step. */
  @Benchmark
  public double[] adamStep() {
    adam.stepFinite(params, grad);
    return params;
  }

  /** The divergence check's scan of the gradient. */
  @Benchmark
  public boolean finiteScan() {
    return Checks.allFinite(grad);
  }

  /** One float32 Adam step over the rows. */
  @Benchmark
  public float[][] adamStepFloat32() {
    adam32.step(params32, grad32);
    return params32;
  }

  /** The float32 path's scan of the gradient rows. */
  @Benchmark
  public boolean finiteScanFloat32() {
    return Checks.allFinite(grad32);
  }
}
