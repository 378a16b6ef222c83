package org.defer4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sparse storage of a feature block and the sparse first layer of the dense scorers. The sparse
 * kernels add the same non-zero terms as the dense ones, in column order instead of the dense
 * kernels' blocked, reassociated order, so scores and gradients must agree with the dense path to
 * 1e−12 relative to max(1, |value|) (float64; about 10⁴ ulps, far below any real error); for the
 * narrow layers of a linear scorer the forward sums are the same sums, term for term.
 */
class SparseRowsTest {
  private static final double TOL = 1e-12;

  /** n × d entries, each non-zero (Gaussian) with probability {@code density}. */
  static double[] sparseBlock(SplittableRandom rng, int n, int d, double density) {
    double[] x = new double[n * d];
    for (int i = 0; i < x.length; i++) {
      if (rng.nextDouble() < density) {
        x[i] = rng.nextDouble() * 4 - 2;
      }
    }
    return x;
  }

  @Test
  void storesExactlyTheNonZerosInColumnOrder() {
    double[] x = {0, 1.5, 0, -2, 0, 0, 0, 0, 3, 0, 0, 0.25};
    SparseRows s = SparseRows.of(x, 4);
    assertThat(s.rows()).isEqualTo(3);
    assertThat(s.columns()).isEqualTo(4);
    assertThat(s.nonZeros()).isEqualTo(4);
    assertThat(s.nonZeros(1)).isZero();
    assertThat(s.density()).isEqualTo(4.0 / 12);
    for (int r = 0; r < 3; r++) {
      for (int j = 0; j < 4; j++) {
        assertThat(s.get(r, j)).isEqualTo(x[r * 4 + j]);
      }
    }
    assertThat(s.dense(new int[] {2, 0}, 0, 2)).containsExactly(3, 0, 0, 0.25, 0, 1.5, 0, -2);
  }

  @Test
  void ofIfSparseRejectsDenseBlocks() {
    SplittableRandom rng = new SplittableRandom(1);
    double[] sparse = sparseBlock(rng, 600, 50, 0.05);
    double[] dense = sparseBlock(rng, 600, 50, 0.5);
    assertThat(SparseRows.ofIfSparse(sparse, 50, 0.1)).isNotNull();
    assertThat(SparseRows.ofIfSparse(dense, 50, 0.1)).isNull();
    // Sparse in the sampled first 256 rows, dense after: the full count still rejects it.
    double[] late = sparse.clone();
    Arrays.fill(late, 300 * 50, late.length, 1.0);
    assertThat(SparseRows.ofIfSparse(late, 50, 0.1)).isNull();
    assertThat(SparseRows.ofIfSparse(new double[0], 3, 0.1).rows()).isZero();
  }

  @Test
  void rejectsRaggedBlocks() {
    assertThatThrownBy(() -> SparseRows.of(new double[7], 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("7 entries");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(ScorerSpec.linear(300, 6), 13, 0.02),
        Arguments.of(ScorerSpec.linear(40, 3), 5, 0.3),
        Arguments.of(ScorerSpec.mlp(300, 6, Activation.RELU, 64), 41, 0.02),
        Arguments.of(ScorerSpec.mlp(300, 4, Activation.RELU, 18, 7), 9, 0.05),
        Arguments.of(ScorerSpec.mlp(37, 3, Activation.TANH, 17), 7, 0.2));
  }

  @ParameterizedTest(name = "{0}, batch {1}, density {2}")
  @MethodSource("cases")
  void sparsePathEqualsDensePath(ScorerSpec spec, int batch, double density) {
    SplittableRandom rng = new SplittableRandom(11);
    Scorer scorer = spec.create(rng);
    ScorerGradientTest.perturbBiases(scorer, rng);
    int d = spec.inputDim();
    int a = spec.outputDim();
    int tableRows = 30;
    double[] features = sparseBlock(rng, tableRows, d, density);
    // One all-zero row: only the biases reach the scores.
    Arrays.fill(features, 4 * d, 5 * d, 0);
    SparseRows sparse = SparseRows.of(features, d);
    int[] rows = new int[batch + 2];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = rng.nextInt(tableRows);
    }
    rows[1] = 4;
    int from = 1;
    double[] g = ScorerGradientTest.gaussian(rng, batch * a);

    double[][] dense = pass(scorer, features, null, rows, from, batch, g);
    double[][] fromSparse = pass(scorer, null, sparse, rows, from, batch, g);
    String[] what = {"scores", "∂L/∂θ", "∂L/∂x"};
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < dense[k].length; i++) {
        double e = dense[k][i];
        assertThat(Math.abs(fromSparse[k][i] - e))
            .as("%s[%d]: sparse %s, dense %s", what[k], i, fromSparse[k][i], e)
            .isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(e)));
      }
    }
    if (spec.hidden().length == 0) {
      assertThat(fromSparse[0]).as("linear scores: the same sums").isEqualTo(dense[0]);
    }
  }

  @Test
  void sparseResultsDoNotDependOnTheThreadCount() {
    // Large enough that the passes fork; each gradient entry gets its terms in batch order.
    ScorerSpec spec = ScorerSpec.mlp(2000, 5, Activation.RELU, 64);
    SplittableRandom rng = new SplittableRandom(3);
    Scorer scorer = spec.create(rng);
    SparseRows sparse = SparseRows.of(sparseBlock(rng, 128, 2000, 0.05), 2000);
    int[] rows = java.util.stream.IntStream.range(0, 128).toArray();
    double[] g = ScorerGradientTest.gaussian(rng, 128 * 5);
    double[][] reference = null;
    for (int threads : new int[] {1, 2, 3}) {
      Workspace ws = scorer.newWorkspace(threads);
      double[] scores = new double[128 * 5];
      double[] grad = new double[scorer.parameterCount()];
      scorer.forwardBatch(sparse, rows, 0, 128, scores, ws);
      scorer.backwardBatch(g, ws, grad);
      if (reference == null) {
        reference = new double[][] {scores, grad};
      } else {
        assertThat(scores).as("%d threads", threads).isEqualTo(reference[0]);
        assertThat(grad).as("%d threads", threads).isEqualTo(reference[1]);
      }
    }
  }

  @Test
  void aDenseBatchAfterASparseOneUsesTheDenseRows() {
    ScorerSpec spec = ScorerSpec.mlp(50, 3, Activation.RELU, 16);
    SplittableRandom rng = new SplittableRandom(8);
    Scorer scorer = spec.create(rng);
    double[] features = sparseBlock(rng, 10, 50, 0.1);
    double[] other = ScorerGradientTest.gaussian(rng, 10 * 50);
    int[] rows = {0, 3, 5, 9};
    double[] g = ScorerGradientTest.gaussian(rng, 4 * 3);
    Workspace ws = scorer.newWorkspace();
    scorer.forwardBatch(SparseRows.of(features, 50), rows, 0, 4, new double[12], ws);
    double[][] mixed = pass(scorer, other, null, rows, 0, 4, g, ws);
    double[][] fresh = pass(scorer, other, null, rows, 0, 4, g);
    assertThat(mixed[1]).isEqualTo(fresh[1]);
  }

  @ParameterizedTest(name = "{0}, batch {1}, density {2}")
  @MethodSource("cases")
  void featureMajorFirstLayerGivesTheSameScoresAndGradientBitForBit(
      ScorerSpec spec, int batch, double density) {
    SplittableRandom rng = new SplittableRandom(12);
    Scorer scorer = spec.create(rng);
    ScorerGradientTest.perturbBiases(scorer, rng);
    int d = spec.inputDim();
    int h = spec.layerSizes()[1];
    SparseRows sparse = SparseRows.of(sparseBlock(rng, 30, d, density), d);
    int[] rows = new int[batch];
    Arrays.setAll(rows, i -> rng.nextInt(30));
    double[] g = ScorerGradientTest.gaussian(rng, batch * spec.outputDim());
    double[] before = scorer.parameters().clone();
    for (int threads : new int[] {1, 3}) {
      double[][] outputMajor = sparsePass(scorer, sparse, rows, g, threads);
      assertThat(scorer.featureMajorFirstLayer(true)).isTrue();
      double[][] featureMajor = sparsePass(scorer, sparse, rows, g, threads);
      assertThat(scorer.featureMajorFirstLayer(false)).isTrue();
      // The gradient comes in the scorer's current order: bring the first layer back to compare.
      Dense.reorderWeights(featureMajor[1], 0, d, h, false, new double[d * h]);
      assertThat(featureMajor[0]).as("scores, %d threads", threads).isEqualTo(outputMajor[0]);
      assertThat(featureMajor[1]).as("∂L/∂θ, %d threads", threads).isEqualTo(outputMajor[1]);
    }
    assertThat(scorer.parameters()).as("the switch there and back").isEqualTo(before);
  }

  @Test
  void featureMajorFirstLayerAllowsOnlyTheSparseBatchPasses() {
    ScorerSpec spec = ScorerSpec.mlp(20, 3, Activation.RELU, 5);
    Scorer scorer = spec.create(new SplittableRandom(4));
    double[] theta = scorer.parameters();
    double w01 = theta[1];
    scorer.featureMajorFirstLayer(true);
    // Weight (o=0, j=1) moves from o·d + j = 1 to j·h + o = 5.
    assertThat(theta[5]).isEqualTo(w01);
    Workspace ws = scorer.newWorkspace();
    double[] x = new double[20];
    assertThatThrownBy(scorer::state)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("feature-major");
    assertThatThrownBy(scorer::copy).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> scorer.forward(x, 0, new double[3], ws))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> scorer.forwardBatch(x, 0, 1, new double[3], ws))
        .isInstanceOf(IllegalStateException.class);
    scorer.featureMajorFirstLayer(true);
    scorer.featureMajorFirstLayer(false);
    assertThat(theta[1]).as("switching on twice is one switch").isEqualTo(w01);
    assertThat(scorer.state().parameters()).isEqualTo(theta);
  }

  private static double[][] sparsePass(
      Scorer scorer, SparseRows sparse, int[] rows, double[] g, int threads) {
    Workspace ws = scorer.newWorkspace(threads);
    double[] scores = new double[rows.length * scorer.outputDim()];
    scorer.forwardBatch(sparse, rows, 0, rows.length, scores, ws);
    double[] grad = new double[scorer.parameterCount()];
    scorer.backwardBatch(g, ws, grad);
    return new double[][] {scores, grad};
  }

  private static double[][] pass(
      Scorer scorer, double[] dense, SparseRows sparse, int[] rows, int from, int n, double[] g) {
    return pass(scorer, dense, sparse, rows, from, n, g, scorer.newWorkspace());
  }

  private static double[][] pass(
      Scorer scorer,
      double[] dense,
      SparseRows sparse,
      int[] rows,
      int from,
      int n,
      double[] g,
      Workspace ws) {
    double[] scores = new double[n * scorer.outputDim()];
    if (sparse != null) {
      scorer.forwardBatch(sparse, rows, from, n, scores, ws);
    } else {
      scorer.forwardBatch(dense, rows, from, n, scores, ws);
    }
    double[] grad = new double[scorer.parameterCount()];
    Arrays.fill(grad, 0.5);
    scorer.backwardBatch(g, ws, grad);
    double[] dx = new double[n * scorer.inputDim()];
    scorer.inputGradientBatch(g, ws, dx);
    return new double[][] {scores, grad, dx};
  }
}
