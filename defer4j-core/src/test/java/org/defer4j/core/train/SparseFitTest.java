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
 * Fitting through sparse feature storage: a block found sparse by the fitter and the same block
 * handed over as {@link SparseRows} give the same parameters bit for bit (same kernels, same
 * order), and both follow the dense path's optimisation to 1e−9 relative after 5 epochs of Adam.
 * The tolerance: the first layer's sums differ from the dense kernels' in the last bits (≤ 1e−15
 * relative per gradient entry, see {@code SparseRowsTest}), and 5 epochs × 8 batches of Adam steps
 * carry such differences forward without amplifying them much (measured: below 1e−12 here).
 */
class SparseFitTest {
  private static final int N = 300;
  private static final int D = 120;
  private static final int K = 3;

  @Test
  void sparseAndDenseFitsAgree() {
    SplittableRandom rng = new SplittableRandom(21);
    // Rows 0..N-1 are 3 % non-zero; rows N..2N-1 are dense and never trained on, so that the
    // block as a whole is too dense for the fitter's sparse path.
    double[] mixed = new double[2 * N * D];
    int[] y = new int[N];
    for (int i = 0; i < N; i++) {
      double[] score = new double[K];
      for (int j = 0; j < D; j++) {
        if (rng.nextDouble() < 0.03) {
          double v = rng.nextDouble();
          mixed[i * D + j] = v;
          score[j % K] += v;
        }
      }
      y[i] = score[0] >= score[1] ? (score[0] >= score[2] ? 0 : 2) : (score[1] >= score[2] ? 1 : 2);
    }
    for (int i = N * D; i < mixed.length; i++) {
      mixed[i] = rng.nextDouble() + 0.5;
    }
    double[] sparseOnly = java.util.Arrays.copyOf(mixed, N * D);
    int[] rows = IntStream.range(0, N).toArray();
    RowLoss ce = (row, s, g) -> LabelCrossEntropy.evaluate(s, y[row], g);
    TrainOptions options = new TrainOptions(Algorithm.ADAM, 1e-2, 5, 40, 0, 5L);
    ScorerSpec spec = ScorerSpec.mlp(D, K, Activation.RELU, 16).withL2(1e-4);

    Scorer dense = Scorers.create(spec, new SplittableRandom(2));
    Scorer found = dense.copy();
    Scorer given = dense.copy();
    ScorerFitter fitter = new ScorerFitter(options);
    FitResult r = fitter.fit(dense, mixed, rows, null, ce, null, TrainingListener.NONE);
    fitter.fit(found, sparseOnly, rows, null, ce, null, TrainingListener.NONE);
    fitter.fit(given, SparseRows.of(sparseOnly, D), rows, null, ce, null, TrainingListener.NONE);

    assertThat(found.parameters()).isEqualTo(given.parameters());
    // An added listener keeps the published weight order (and the optimizer's own gradient scan)
    // throughout: the fit with the feature-major first layer must be the same bit for bit.
    Scorer published = Scorers.create(spec, new SplittableRandom(2));
    fitter
        .withListener(new FitListener() {})
        .fit(published, SparseRows.of(sparseOnly, D), rows, null, ce, null, TrainingListener.NONE);
    assertThat(published.parameters()).isEqualTo(given.parameters());
    assertThat(given.state().parameters())
        .as("state() works: the first layer is output-major again after the fit")
        .isEqualTo(given.parameters());
    double[] p = dense.parameters();
    double[] q = given.parameters();
    double worst = 0;
    for (int i = 0; i < p.length; i++) {
      worst = Math.max(worst, Math.abs(p[i] - q[i]) / Math.max(1, Math.abs(p[i])));
    }
    assertThat(worst).isLessThanOrEqualTo(1e-9);
    assertThat(r.rowsProcessed()).isEqualTo(5L * N);

    // A fit that diverges mid-epoch leaves the first layer output-major as well.
    int[] calls = {0};
    RowLoss poisoned = (row, s, g) -> ++calls[0] > 2 * N + 50 ? Double.NaN : ce.evaluate(row, s, g);
    Scorer diverged = Scorers.create(spec, new SplittableRandom(2));
    assertThatThrownBy(
            () ->
                fitter.fit(
                    diverged,
                    SparseRows.of(sparseOnly, D),
                    rows,
                    null,
                    poisoned,
                    null,
                    TrainingListener.NONE))
        .isInstanceOf(TrainingDivergedException.class);
    assertThat(diverged.state().parameters()).isEqualTo(diverged.parameters());
    assertThat(r.seconds()).isPositive();
  }
}
