package org.defer4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batch path must agree with the row path: same scores, gradients equal to the sum of the
 * per-row gradients, same input gradients. The two use different kernels (register tiles and
 * vectorized loops over row arrays vs plain loops), so sums are reassociated: agreement is required
 * to 1e−12 relative to max(1, |value|), about 10⁴ ulps, far below any real error.
 *
 * <p>Shapes are chosen to hit every kernel branch: batch sizes that are not multiples of 4,
 * repeated and unordered row indices, d = 300 (longer than both the 64- and 256-wide blocks and not
 * a multiple of them), wide (≥ 16) and narrow layers, ReLU (whose zero rows take the sparse
 * gradient kernel) and tanh / GELU (dense).
 */
class ScorerBatchTest {
  private static final double TOL = 1e-12;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(ScorerSpec.linear(300, 6), 11),
        Arguments.of(ScorerSpec.linear(5, 17), 4),
        Arguments.of(ScorerSpec.mlp(300, 6, Activation.RELU, 20, 17), 13),
        Arguments.of(ScorerSpec.mlp(300, 6, Activation.TANH, 24), 9),
        Arguments.of(ScorerSpec.mlp(37, 3, Activation.GELU, 16, 5), 7),
        Arguments.of(ScorerSpec.mlp(9, 2, Activation.RELU, 3), 1));
  }

  @ParameterizedTest(name = "{0}, batch {1}")
  @MethodSource("cases")
  void batchPathEqualsRowPath(ScorerSpec spec, int batch) {
    SplittableRandom rng = new SplittableRandom(42);
    Scorer scorer = spec.create(rng);
    ScorerGradientTest.perturbBiases(scorer, rng);
    int d = spec.inputDim();
    int a = spec.outputDim();
    int tableRows = 20;
    double[] features = ScorerGradientTest.gaussian(rng, tableRows * d);
    double[] featuresBefore = features.clone();
    int[] rows = new int[batch + 3];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = rng.nextInt(tableRows);
    }
    int from = 2;
    double[] g = ScorerGradientTest.gaussian(rng, batch * a);

    Workspace ws = scorer.newWorkspace();
    double[] batchScores = new double[batch * a];
    scorer.forwardBatch(features, rows, from, batch, batchScores, ws);
    double[] batchGrad = new double[scorer.parameterCount()];
    Arrays.fill(batchGrad, 0.25);
    scorer.backwardBatch(g, ws, batchGrad);
    double[] batchInputGrad = new double[batch * d];
    scorer.inputGradientBatch(g, ws, batchInputGrad);

    double[] rowGrad = new double[scorer.parameterCount()];
    Arrays.fill(rowGrad, 0.25);
    Workspace rowWs = scorer.newWorkspace();
    double[] s = new double[a];
    double[] gi = new double[a];
    double[] dx = new double[d];
    for (int b = 0; b < batch; b++) {
      scorer.forward(features, rows[from + b] * d, s, rowWs);
      for (int k = 0; k < a; k++) {
        assertClose("score[" + b + "][" + k + "]", batchScores[b * a + k], s[k]);
      }
      System.arraycopy(g, b * a, gi, 0, a);
      scorer.backward(gi, rowWs, rowGrad);
      scorer.inputGradient(gi, rowWs, dx);
      for (int j = 0; j < d; j++) {
        assertClose("∂L/∂x[" + b + "][" + j + "]", batchInputGrad[b * d + j], dx[j]);
      }
    }
    for (int i = 0; i < rowGrad.length; i++) {
      assertClose("∂L/∂θ[" + i + "]", batchGrad[i], rowGrad[i]);
    }
    assertThat(features).as("features are never modified").isEqualTo(featuresBefore);
  }

  @ParameterizedTest(name = "{0}, batch {1}")
  @MethodSource("cases")
  void consecutiveRowsOverloadMatchesIndexedRows(ScorerSpec spec, int batch) {
    SplittableRandom rng = new SplittableRandom(7);
    Scorer scorer = spec.create(rng);
    int d = spec.inputDim();
    int a = spec.outputDim();
    double[] features = ScorerGradientTest.gaussian(rng, (batch + 5) * d);
    int[] rows = new int[batch];
    for (int b = 0; b < batch; b++) {
      rows[b] = 3 + b;
    }
    Workspace ws = scorer.newWorkspace();
    double[] indexed = new double[batch * a];
    double[] consecutive = new double[batch * a];
    scorer.forwardBatch(features, rows, 0, batch, indexed, ws);
    scorer.forwardBatch(features, 3, batch, consecutive, ws);
    // Same kernels on the same rows: bit-for-bit equal.
    assertThat(consecutive).isEqualTo(indexed);
  }

  @ParameterizedTest(name = "{0}, batch {1}")
  @MethodSource("cases")
  void scoreRowsChunksLikeOneBatch(ScorerSpec spec, int batch) {
    SplittableRandom rng = new SplittableRandom(9);
    Scorer scorer = spec.create(rng);
    int n = Scorer.SCORE_CHUNK * 2 + 3;
    double[] features = ScorerGradientTest.gaussian(rng, n * spec.inputDim());
    double[] chunked = new double[n * spec.outputDim()];
    double[] whole = new double[n * spec.outputDim()];
    scorer.scoreRows(features, 0, n, chunked, scorer.newWorkspace());
    scorer.forwardBatch(features, 0, n, whole, scorer.newWorkspace());
    // Rows are scored independently, so chunking cannot change a bit.
    assertThat(chunked).isEqualTo(whole);
  }

  static Stream<Arguments> largeCases() {
    // Large enough (n · in · out ≥ 2¹⁷ multiply-adds) that the batch passes really fork.
    return Stream.of(
        Arguments.of(ScorerSpec.linear(300, 6), 90),
        Arguments.of(ScorerSpec.mlp(300, 6, Activation.RELU, 64), 41),
        Arguments.of(ScorerSpec.mlp(300, 6, Activation.TANH, 64, 32), 41),
        Arguments.of(ScorerSpec.mlp(1030, 17, Activation.GELU, 20), 130));
  }

  @ParameterizedTest(name = "{0}, batch {1}")
  @MethodSource("largeCases")
  void resultsDoNotDependOnTheThreadCount(ScorerSpec spec, int batch) {
    // Every parallel split keeps each entry's terms in the same order, so the results must be
    // bit-for-bit those of one thread.
    SplittableRandom rng = new SplittableRandom(5);
    Scorer scorer = spec.create(rng);
    ScorerGradientTest.perturbBiases(scorer, rng);
    double[] features = ScorerGradientTest.gaussian(rng, batch * spec.inputDim());
    double[] g = ScorerGradientTest.gaussian(rng, batch * spec.outputDim());
    double[][] reference = null;
    for (int threads : new int[] {1, 2, 3, 7}) {
      Workspace ws = scorer.newWorkspace(threads);
      double[] scores = new double[batch * spec.outputDim()];
      double[] grad = new double[scorer.parameterCount()];
      double[] dx = new double[batch * spec.inputDim()];
      scorer.forwardBatch(features, 0, batch, scores, ws);
      scorer.backwardBatch(g, ws, grad);
      scorer.inputGradientBatch(g, ws, dx);
      double[][] results = {scores, grad, dx};
      if (reference == null) {
        reference = results;
      } else {
        for (int k = 0; k < 3; k++) {
          assertThat(results[k]).as("%d threads, result %d", threads, k).isEqualTo(reference[k]);
        }
      }
    }
  }

  private static void assertClose(String what, double actual, double expected) {
    assertThat(Math.abs(actual - expected))
        .as("%s: batch %s, rows %s", what, actual, expected)
        .isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(expected)));
  }
}
