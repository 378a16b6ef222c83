package org.defer4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float32 passes against the float64 scorer they copy (whose own gradients are checked by
 * finite differences in {@code ScorerTest}): the same scores and parameter gradients up to float32
 * rounding. Tolerance: every entry is a sum of at most 40 products of O(1) float32 values, each
 * rounded once (unit roundoff 6e−8), so 40 × 6e−8 × the magnitudes ≈ 1e−5; 1e−4 × (1 + |value|)
 * leaves room for the activations' float32 rounding.
 */
class Float32NetworkTest {
  private static final int N = 19;
  private static final int D = 40;
  private static final int A = 5;

  private static Scorer scorer(String kind) {
    ScorerSpec spec =
        switch (kind) {
          case "linear" -> ScorerSpec.linear(D, A);
          case "relu", "relu-dead" -> ScorerSpec.mlp(D, A, Activation.RELU, 24);
          case "relu2" -> ScorerSpec.mlp(D, A, Activation.RELU, 24, 17);
          case "tanh" -> ScorerSpec.mlp(D, A, Activation.TANH, 20);
          case "gelu" -> ScorerSpec.mlp(D, A, Activation.GELU, 18);
          case "wide" -> ScorerSpec.mlp(D, 20, Activation.RELU, 32);
          default -> throw new IllegalArgumentException(kind);
        };
    Scorer s = Scorers.create(spec.withL2(0.01), new SplittableRandom(kind.hashCode()));
    if (kind.equals("relu-dead")) {
      // Hidden units 0 and 1 get zero weights and a bias of +0 and −0: pre-activations of exactly
      // ±0, where ReLU's derivative is 0 (Activation.RELU), so no gradient reaches their weights.
      double[] theta = s.parameters();
      Arrays.fill(theta, 0, 2 * D, 0.0);
      theta[24 * D] = 0.0;
      theta[24 * D + 1] = -0.0;
    }
    return s;
  }

  /** Rows with about a quarter of the entries zero (so both the dense and the sparse paths run). */
  private static double[] block(SplittableRandom rng) {
    double[] x = new double[N * D];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble() < 0.25 ? 0 : rng.nextGaussian();
    }
    return x;
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "relu", "relu-dead", "relu2", "tanh", "gelu", "wide"})
  void scoresAndGradientsMatchTheFloat64Scorer(String kind) {
    Scorer s = scorer(kind);
    SplittableRandom rng = new SplittableRandom(3);
    double[] x = block(rng);
    int[] rows = IntStream.range(0, N).map(i -> (i * 7) % N).toArray();
    int a = s.outputDim();
    double[] dScores = new double[N * a];
    for (int i = 0; i < dScores.length; i++) {
      dScores[i] = rng.nextGaussian();
    }
    double[] expectedScores = new double[N * a];
    double[] expectedGrad = new double[s.parameterCount()];
    Workspace ws = s.newWorkspace();
    s.forwardBatch(x, rows, 0, N, expectedScores, ws);
    s.backwardBatch(dScores, ws, expectedGrad);
    double expectedPenalty = s.penalty(expectedGrad);

    Float32Network net = Float32Network.of(s);
    for (String input : new String[] {"dense", "float32 rows", "sparse"}) {
      double[] scores = new double[N * a];
      float[][] grad = net.newRows();
      switch (input) {
        case "dense" -> net.forwardBatch(x, rows, 0, N, scores);
        case "float32 rows" -> net.forwardBatch(floatRows(x, rows), rows, 0, N, scores);
        default -> net.forwardBatch(SparseRows.of(x, D), rows, 0, N, scores);
      }
      net.backwardBatch(dScores, grad);
      double penalty = net.penalty(grad);
      double[] g = new double[s.parameterCount()];
      net.toScorerLayout(grad, g);
      assertClose(scores, expectedScores, kind + " " + input + " scores");
      assertClose(g, expectedGrad, kind + " " + input + " gradient");
      if (kind.equals("relu-dead")) {
        assertThat(Arrays.copyOfRange(g, 0, 2 * D)).as(input).containsOnly(0.0);
      }
      assertThat(penalty).isCloseTo(expectedPenalty, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  /** Both dense inputs round every feature once to float32, so they give bit-equal passes. */
  @Test
  void float32RowsGiveTheDenseBlocksResults() {
    Scorer s = scorer("relu2");
    SplittableRandom rng = new SplittableRandom(5);
    double[] x = block(rng);
    int[] rows = IntStream.range(0, N).map(i -> (i * 5) % N).toArray();
    double[] dScores = rng.doubles(N * A).toArray();
    Float32Network net = Float32Network.of(s);
    double[] fromBlock = new double[N * A];
    float[][] gradBlock = net.newRows();
    net.forwardBatch(x, rows, 0, N, fromBlock);
    net.backwardBatch(dScores, gradBlock);
    double[] fromRows = new double[N * A];
    float[][] gradRows = net.newRows();
    net.forwardBatch(floatRows(x, rows), rows, 0, N, fromRows);
    net.backwardBatch(dScores, gradRows);
    assertThat(fromRows).containsExactly(fromBlock);
    assertThat(gradRows).isDeepEqualTo(gradBlock);
  }

  /**
   * The dense forward pass adds each score's bias and then its features' terms in feature order,
   * one float32 rounding per term: the scores equal that chain of fused multiply-adds bit for bit.
   * 41 features and 5 scores run the four-score kernel, its odd last feature and the fifth score.
   */
  @Test
  void denseScoresAreTheBiasThenEachTermInOrder() {
    int d = 41;
    Scorer s = Scorers.create(ScorerSpec.linear(d, A), new SplittableRandom(8));
    SplittableRandom rng = new SplittableRandom(12);
    double[] x = rng.doubles((long) N * d).map(v -> v - 0.5).toArray();
    int[] rows = IntStream.range(0, N).map(i -> (i * 3) % N).toArray();
    Float32Network net = Float32Network.of(s);
    double[] scores = new double[N * A];
    net.forwardBatch(x, rows, 0, N, scores);
    double[] theta = s.parameters();
    for (int b = 0; b < N; b++) {
      for (int a = 0; a < A; a++) {
        float z = (float) theta[A * d + a];
        for (int j = 0; j < d; j++) {
          z = Math.fma((float) theta[a * d + j], (float) x[rows[b] * d + j], z);
        }
        assertThat(scores[b * A + a]).as("row %d score %d", b, a).isEqualTo((double) z);
      }
    }
  }

  /** Row r of the block in float32, for every r in {@code rows}. */
  private static float[][] floatRows(double[] x, int[] rows) {
    float[][] out = new float[x.length / D][];
    Float32Network.toFloatRows(x, D, rows, 0, rows.length, out);
    return out;
  }

  /** Only the rows asked for are converted, each once: a later call keeps the row it made. */
  @Test
  void floatRowsConvertEachRowOnceWhenFirstAsked() {
    double[] x = block(new SplittableRandom(6));
    float[][] out = new float[N][];
    Float32Network.toFloatRows(x, D, new int[] {9, 3, 4}, 1, 1, out);
    for (int r = 0; r < N; r++) {
      if (r == 3) {
        assertThat(out[r]).hasSize(D);
        for (int j = 0; j < D; j++) {
          assertThat(out[r][j]).isEqualTo((float) x[r * D + j]);
        }
      } else {
        assertThat(out[r]).as("row %d", r).isNull();
      }
    }
    float[] three = out[3];
    Float32Network.toFloatRows(x, D, new int[] {3, 4}, 0, 2, out);
    assertThat(out[3]).isSameAs(three);
    assertThat(out[4]).isNotNull();
  }

  private static void assertClose(double[] actual, double[] expected, String what) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i]))
          .as("%s[%d]: %s vs %s", what, i, actual[i], expected[i])
          .isLessThanOrEqualTo(1e-4 * (1 + Math.abs(expected[i])));
    }
  }

  @Test
  void copiesRoundTripThroughTheScorersLayout() {
    Scorer s = scorer("relu2");
    double[] theta = s.parameters().clone();
    Float32Network net = Float32Network.of(s);
    Scorer back = s.copy();
    java.util.Arrays.fill(back.parameters(), 0);
    net.copyTo(back);
    for (int p = 0; p < theta.length; p++) {
      assertThat(back.parameters()[p]).as("θ[%d]", p).isEqualTo((double) (float) theta[p]);
    }
    // A mask rearranged into rows and written back is the same mask: the two index maps agree.
    boolean[] mask = new boolean[theta.length];
    SplittableRandom rng = new SplittableRandom(4);
    for (int p = 0; p < mask.length; p++) {
      mask[p] = rng.nextBoolean();
    }
    boolean[][] rowsMask = net.toRows(mask);
    float[][] ones = net.newRows();
    for (int r = 0; r < ones.length; r++) {
      for (int i = 0; i < ones[r].length; i++) {
        ones[r][i] = rowsMask[r][i] ? 1 : 0;
      }
    }
    double[] out = new double[mask.length];
    net.toScorerLayout(ones, out);
    for (int p = 0; p < mask.length; p++) {
      assertThat(out[p] == 1).as("mask[%d]", p).isEqualTo(mask[p]);
    }
    assertThat(net.parameterCount()).isEqualTo(s.parameterCount());
  }

  @Test
  void rejectsWhatItCannotRun() {
    Scorer s = scorer("relu");
    Float32Network net = Float32Network.of(s);
    assertThatThrownBy(() -> net.backwardBatch(new double[N * A], net.newRows()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("forwardBatch");
    assertThatThrownBy(
            () -> net.forwardBatch(new double[N * D], new int[] {N}, 0, 1, new double[A]))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("row " + N);
    assertThatThrownBy(
            () ->
                net.forwardBatch(
                    new float[][] {new float[D - 1]}, new int[] {0}, 0, 1, new double[A]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("feature row 0 has " + (D - 1));
    assertThatThrownBy(
            () ->
                Float32Network.toFloatRows(
                    new double[D + 1], D, new int[] {0}, 0, 1, new float[1][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 rows of " + D);
    assertThatThrownBy(() -> net.copyTo(scorer("linear")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot hold");
    s.featureMajorFirstLayer(true);
    assertThatThrownBy(() -> Float32Network.of(s)).isInstanceOf(IllegalStateException.class);
  }
}
