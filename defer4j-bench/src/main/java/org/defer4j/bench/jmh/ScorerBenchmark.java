package org.defer4j.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.model.Workspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One minibatch of 128 rows through a scorer with d inputs and 4 outputs (K = 3 classes and J = 1
 * expert): the forward pass alone, and the forward pass followed by the backward pass into a
 * cleared parameter gradient (one training step without the loss and the optimizer). Features are
 * seeded uniform numbers in [0, 1); one workspace, one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScorerBenchmark {
  private static final int BATCH = 128;
  private static final int OUTPUTS = 4;

  /** {@code linear}, or {@code mlp64}: one hidden layer of 64 ReLU units. */
  @Param({"linear", "mlp64"})
  public String kind;

  /** d, the number of input features. */
  @Param({"512", "1024"})
  public int inputs;

  private Scorer scorer;
  private Workspace ws;
  private double[] features;
  private double[] scores;
  private double[] dScores;
  private double[] grad;

  /** Builds the scorer and the batch. */
  @Setup
  public void setUp() {
    ScorerSpec spec =
        kind.equals("linear")
            ? ScorerSpec.linear(inputs, OUTPUTS)
            : ScorerSpec.mlp(inputs, OUTPUTS, Activation.RELU, 64);
    SplittableRandom rng = new SplittableRandom(42);
    scorer = Scorers.create(spec, rng.split());
    ws = scorer.newWorkspace();
    features = new double[BATCH * inputs];
    for (int i = 0; i < features.length; i++) {
      features[i] = rng.nextDouble();
    }
    scores = new double[BATCH * OUTPUTS];
    dScores = new double[BATCH * OUTPUTS];
    for (int i = 0; i < dScores.length; i++) {
      dScores[i] = (rng.nextDouble() - 0.5) / BATCH;
    }
    grad = new double[scorer.parameterCount()];
  }

  /** Scores of one minibatch. */
  @Benchmark
  public double[] forward() {
    scorer.forwardBatch(features, 0, BATCH, scores, ws);
    return scores;
  }

  /** Scores, then the parameter gradient, of one minibatch. */
  @Benchmark
  public double[] forwardBackward() {
    scorer.forwardBatch(features, 0, BATCH, scores, ws);
    java.util.Arrays.fill(grad, 0.0);
    scorer.backwardBatch(dScores, ws, grad);
    return grad;
  }
}
