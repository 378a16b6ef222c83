package org.defer4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.defer4j.core.loss.LabelCrossEntropy;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.model.SparseRows;
import org.junit.jupiter.api.Test;

/**
 * A float32 fit ({@link Precision#FLOAT32}) follows the float64 fit of the same options: after 5
 * epochs of Adam (40 steps) the parameters agree to 1e−3 — float32 rounding (6e−8 per operation)
 * carried through 40 steps of at most lr = 1e-2 each, measured at about 1e−5 here — and the
 * training losses to 1e−4. The divergence check, a trainable mask, extra listeners and the refusals
 * work as in float64.
 */
class Float32FitTest {
  private static final int N = 300;
  private static final int D = 120;
  private static final int K = 3;

  private final double[] x = new double[N * D];
  private final int[] y = new int[N];
  private final int[] rows = IntStream.range(0, N).toArray();
  private final RowLoss ce = (row, s, g) -> LabelCrossEntropy.evaluate(s, y[row], g);
  private final ScorerSpec spec = ScorerSpec.mlp(D, K, Activation.RELU, 32).withL2(1e-4);
  private final TrainOptions float64 = new TrainOptions(Algorithm.ADAM, 1e-2, 5, 40, 0, 5L);
  private final TrainOptions float32 = float64.withPrecision(Precision.FLOAT32);

  Float32FitTest() {
    SplittableRandom rng = new SplittableRandom(21);
    for (int i = 0; i < N; i++) {
      double[] score = new double[K];
      for (int j = 0; j < D; j++) {
        if (rng.nextDouble() < 0.05) {
          double v = rng.nextDouble();
          x[i * D + j] = v;
          score[j % K] += v;
        }
      }
      y[i] = score[0] >= score[1] ? (score[0] >= score[2] ? 0 : 2) : (score[1] >= score[2] ? 1 : 2);
    }
  }

  @Test
  void followsTheFloat64FitOnDenseAndSparseRows() {
    Scorer reference = Scorers.create(spec, new SplittableRandom(2));
    Scorer dense = reference.copy();
    Scorer sparse = reference.copy();
    FitResult r64 =
        new ScorerFitter(float64).fit(reference, x, rows, null, ce, null, TrainingListener.NONE);
    FitResult r32 =
        new ScorerFitter(float32).fit(dense, x, rows, null, ce, null, TrainingListener.NONE);
    new ScorerFitter(float32)
        .fit(sparse, SparseRows.of(x, D), rows, null, ce, null, TrainingListener.NONE);
    assertThat(maxRelativeDifference(dense.parameters(), reference.parameters()))
        .isLessThanOrEqualTo(1e-3);
    assertThat(maxRelativeDifference(sparse.parameters(), reference.parameters()))
        .isLessThanOrEqualTo(1e-3);
    for (int e = 0; e < 5; e++) {
      assertThat(r32.history().get(e).trainLoss())
          .isCloseTo(r64.history().get(e).trainLoss(), org.assertj.core.data.Offset.offset(1e-4));
    }
    assertThat(r32.history().get(4).trainLoss())
        .as("it learns")
        .isLessThan(0.5 * r32.history().get(0).trainLoss());
    assertThat(sparse.state().parameters()).isEqualTo(sparse.parameters());
  }

  @Test
  void honoursAMaskAndShowsListenersTheScorersLayout() {
    Scorer s = Scorers.create(spec, new SplittableRandom(2));
    double[] before = s.parameters().clone();
    boolean[] trainable = new boolean[before.length];
    for (int p = 0; p < trainable.length; p++) {
      trainable[p] = p % 3 != 0;
    }
    double[][] firstGradient = {null};
    double[][] firstParameters = {null};
    FitListener spy =
        new FitListener() {
          @Override
          public void onBatch(FitState state) {
            if (firstGradient[0] == null) {
              firstGradient[0] = state.gradient().clone();
              firstParameters[0] = state.scorer().parameters().clone();
            }
          }
        };
    new ScorerFitter(float32)
        .withTrainable(trainable)
        .withListener(spy)
        .fit(s, x, rows, null, ce, null, TrainingListener.NONE);
    for (int p = 0; p < before.length; p++) {
      if (!trainable[p]) {
        assertThat(s.parameters()[p]).as("frozen θ[%d]", p).isEqualTo((double) (float) before[p]);
        assertThat(firstGradient[0][p]).isZero();
      }
    }
    // The listener saw the first batch's gradient in θ's layout: the float64 one, to rounding.
    Scorer check = Scorers.create(spec, new SplittableRandom(2));
    double[] expected = new double[before.length];
    new ScorerFitter(float64)
        .withTrainable(trainable)
        .withListener(
            new FitListener() {
              @Override
              public void onBatch(FitState state) {
                if (state.epoch() == 1 && state.batch() == 0) {
                  System.arraycopy(state.gradient(), 0, expected, 0, expected.length);
                }
              }
            })
        .fit(check, x, rows, null, ce, null, TrainingListener.NONE);
    for (int p = 0; p < expected.length; p++) {
      assertThat(Math.abs(firstGradient[0][p] - expected[p]))
          .as("∂L/∂θ[%d]", p)
          .isLessThanOrEqualTo(1e-5 * (1 + Math.abs(expected[p])));
    }
    assertThat(firstParameters[0]).isEqualTo(floatRounded(before));
  }

  @Test
  void stopsOnANonFiniteLossAndRefusesWhatItCannotRun() {
    int[] calls = {0};
    RowLoss poisoned = (row, s, g) -> ++calls[0] > N + 50 ? Double.NaN : ce.evaluate(row, s, g);
    Scorer s = Scorers.create(spec, new SplittableRandom(2));
    assertThatThrownBy(
            () ->
                new ScorerFitter(float32)
                    .fit(s, x, rows, null, poisoned, null, TrainingListener.NONE))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("epoch 2");
    assertThat(java.util.Arrays.stream(s.state().parameters()).allMatch(Double::isFinite)).isTrue();

    BatchLoss readsScorer =
        new BatchLoss() {
          @Override
          public double evaluate(int[] r, int from, int count, double[] sc, double[] d) {
            return 0;
          }

          @Override
          public boolean readsScorer() {
            return true;
          }
        };
    assertThatThrownBy(
            () ->
                new ScorerFitter(float32)
                    .fit(
                        Scorers.create(spec, new SplittableRandom(2)),
                        x,
                        rows,
                        readsScorer,
                        null,
                        TrainingListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("float64");
    assertThatThrownBy(() -> float32.withAlgorithm(Algorithm.SGD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("adam");
    assertThat(Precision.parse("float32")).isEqualTo(Precision.FLOAT32);
    assertThatThrownBy(() -> Precision.parse("float16")).hasMessageContaining("[float64, float32]");
  }

  private static double[] floatRounded(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  private static double maxRelativeDifference(double[] a, double[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
    }
    return worst;
  }
}
