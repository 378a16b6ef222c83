package org.defer4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.defer4j.core.loss.LabelCrossEntropy;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.junit.jupiter.api.Test;

/**
 * The one training loop and its listeners: early stopping, the divergence check, progress, the
 * trainable mask and batch-level losses. Expected values are exact (the fitter is deterministic);
 * where they are counts, the comment says how they follow from the options.
 */
class ScorerFitterTest {
  private static final int N = 200;
  private static final int D = 3;
  private static final int K = 3;

  /** n × d Gaussian-ish features and labels y = argmax of a fixed linear map plus noise. */
  private static final double[] X = new double[N * D];

  private static final int[] Y = new int[N];

  static {
    SplittableRandom r = new SplittableRandom(17);
    for (int i = 0; i < N; i++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < D; j++) {
        X[i * D + j] = 2 * r.nextDouble() - 1;
      }
      for (int c = 0; c < K; c++) {
        double s = X[i * D + c] + 0.3 * r.nextDouble();
        if (s > best) {
          best = s;
          Y[i] = c;
        }
      }
    }
  }

  private static final RowLoss CE = (row, s, g) -> LabelCrossEntropy.evaluate(s, Y[row], g);

  private static int[] rows() {
    return IntStream.range(0, N).toArray();
  }

  private static Scorer linear() {
    return Scorers.create(ScorerSpec.linear(D, K).withL2(1e-3), new SplittableRandom(3));
  }

  /** A validation whose epoch costs are given in advance (the last one repeats). */
  private static Validation costs(double... c) {
    int[] calls = {0};
    return s -> new Validation.Result(c[Math.min(calls[0]++, c.length - 1)], Double.NaN);
  }

  /** Snapshots the parameters after every epoch. */
  private static final class Snapshots implements FitListener {
    final List<double[]> params = new ArrayList<>();

    @Override
    public void onEpoch(FitState fit) {
      params.add(fit.scorer().parameters().clone());
    }
  }

  /**
   * Validation costs fall until epoch 3 and never beat it afterwards: patience 3 stops after epoch
   * 6 and the scorer holds exactly the parameters it had after epoch 3.
   */
  @Test
  void earlyStoppingKeepsTheBestEpochsParameters() {
    Scorer s = linear();
    Snapshots snap = new Snapshots();
    List<EpochLog> seen = new ArrayList<>();
    FitResult r =
        new ScorerFitter(TrainOptions.defaults().withEpochs(20).withPatience(3).withBatchSize(32))
            .withListener(snap)
            .fit(
                s,
                X,
                rows(),
                null,
                CE,
                costs(0.5, 0.4, 0.3, 0.35, 0.33, 0.34, 0.2),
                new TrainingListener() {
                  @Override
                  public void onEpoch(EpochLog log) {
                    seen.add(log);
                  }
                });
    assertThat(r.bestEpoch()).isEqualTo(3);
    assertThat(r.epochs()).isEqualTo(6);
    assertThat(r.stoppedEarly()).isTrue();
    assertThat(r.best().cost()).isEqualTo(0.3);
    assertThat(snap.params).hasSize(6);
    assertThat(s.parameters()).containsExactly(snap.params.get(2));
    assertThat(s.parameters()).isNotEqualTo(snap.params.get(5));
    assertThat(r.history()).isEqualTo(seen);
    assertThat(seen.stream().map(EpochLog::improved))
        .containsExactly(true, true, true, false, false, false);
  }

  /** Patience 0 never stops but still keeps the best epoch; without validation the last is kept. */
  @Test
  void patienceZeroRunsEveryEpochAndKeepsTheBest() {
    Scorer s = linear();
    Snapshots snap = new Snapshots();
    FitResult r =
        new ScorerFitter(TrainOptions.defaults().withEpochs(5).withPatience(0))
            .withListener(snap)
            .fit(s, X, rows(), null, CE, costs(0.5, 0.2, 0.3, 0.4, 0.6), TrainingListener.NONE);
    assertThat(r.epochs()).isEqualTo(5);
    assertThat(r.stoppedEarly()).isFalse();
    assertThat(r.bestEpoch()).isEqualTo(2);
    assertThat(s.parameters()).containsExactly(snap.params.get(1));

    Scorer t = linear();
    Snapshots last = new Snapshots();
    FitResult q =
        new ScorerFitter(TrainOptions.defaults().withEpochs(4))
            .withListener(last)
            .fit(t, X, rows(), null, CE, null, TrainingListener.NONE);
    assertThat(q.bestEpoch()).isEqualTo(4);
    assertThat(q.best()).isNull();
    assertThat(t.parameters()).containsExactly(last.params.get(3));
    assertThat(q.history()).allMatch(EpochLog::improved);
  }

  /** A row loss that turns NaN on row 123 from epoch 2 on stops the fit naming epoch and row. */
  @Test
  void divergenceNamesEpochBatchAndRow() {
    boolean[] poisoned = {false};
    RowLoss loss = (row, s, g) -> poisoned[0] && row == 123 ? Double.NaN : CE.evaluate(row, s, g);
    FitListener poisonAfterEpochOne =
        new FitListener() {
          @Override
          public void onEpoch(FitState fit) {
            poisoned[0] = true;
          }
        };
    Scorer s = linear();
    double[] before = s.parameters().clone();
    assertThatThrownBy(
            () ->
                new ScorerFitter(TrainOptions.defaults().withBatchSize(50))
                    .withListener(poisonAfterEpochOne)
                    .fit(s, X, rows(), null, loss, null, TrainingListener.NONE))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageStartingWith("non-finite loss NaN or gradient [")
        .hasMessageContaining("at epoch 2, batch ")
        .hasMessageContaining("row 123; scores [");
    assertThat(s.parameters()).isNotEqualTo(before);
  }

  /**
   * The row is found again after the fact: a loss that is NaN on row 7 names row 7, for minibatch
   * and full-batch fits, and no optimiser step is taken with the bad gradient.
   */
  @Test
  void divergenceFindsTheRowForMinibatchAndLbfgs() {
    RowLoss row7 = (row, s, g) -> row == 7 ? Double.NaN : CE.evaluate(row, s, g);
    for (Algorithm a : Algorithm.values()) {
      Scorer s = linear();
      double[] before = s.parameters().clone();
      assertThatThrownBy(
              () ->
                  new ScorerFitter(TrainOptions.defaults().withAlgorithm(a))
                      .fit(s, X, rows(), null, row7, null, TrainingListener.NONE))
          .as("%s", a)
          .isInstanceOf(TrainingDivergedException.class)
          .hasMessageContaining("epoch 1")
          .hasMessageContaining("row 7;");
      assertThat(s.parameters()).as("%s", a).containsExactly(before);
    }
  }

  /** A batch loss cannot name a row: the message names epoch and batch. */
  @Test
  void divergenceOfABatchLossNamesEpochAndBatch() {
    int[] batches = {0};
    BatchLoss bad =
        (rows, from, count, scores, dScores) -> {
          Arrays.fill(dScores, 0, count * K, 0.0);
          return ++batches[0] == 7 ? Double.POSITIVE_INFINITY : 1.0;
        };
    // 200 rows in batches of 64 are 4 batches per epoch: the 7th batch is epoch 2, batch 2.
    assertThatThrownBy(
            () ->
                new ScorerFitter(TrainOptions.defaults().withBatchSize(64))
                    .fit(linear(), X, rows(), bad, null, TrainingListener.NONE))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessage("non-finite loss at epoch 2, batch 2 (batch loss Infinity)");
  }

  /** A frozen parameter never changes, at any batch, for every optimiser; the others do. */
  @Test
  void maskedParametersNeverChange() {
    for (Algorithm a : Algorithm.values()) {
      Scorer s =
          Scorers.create(
              ScorerSpec.mlp(D, K, Activation.TANH, 4).withL2(1e-2), new SplittableRandom(5));
      double[] start = s.parameters().clone();
      boolean[] mask = new boolean[start.length];
      for (int p = 0; p < mask.length; p += 2) {
        mask[p] = true;
      }
      int[] checks = {0};
      FitListener frozen =
          new FitListener() {
            @Override
            public void onBatch(FitState fit) {
              double[] now = fit.scorer().parameters();
              for (int p = 1; p < now.length; p += 2) {
                assertThat(now[p]).isEqualTo(start[p]);
                assertThat(fit.gradient()[p]).isZero();
              }
              checks[0]++;
            }
          };
      new ScorerFitter(TrainOptions.defaults().withAlgorithm(a).withEpochs(5).withBatchSize(40))
          .withTrainable(mask)
          .withListener(frozen)
          .fit(s, X, rows(), null, CE, costs(1.0), TrainingListener.NONE);
      double[] end = s.parameters();
      int moved = 0;
      for (int p = 0; p < end.length; p++) {
        if (p % 2 == 1) {
          assertThat(end[p]).as("%s frozen parameter %d", a, p).isEqualTo(start[p]);
        } else if (end[p] != start[p]) {
          moved++;
        }
      }
      assertThat(moved).as("%s trainable parameters that moved", a).isGreaterThan(end.length / 4);
      assertThat(checks[0]).isPositive();
    }
  }

  @Test
  void rejectsAMaskOfTheWrongLength() {
    assertThatThrownBy(
            () ->
                new ScorerFitter(TrainOptions.defaults())
                    .withTrainable(new boolean[3])
                    .fit(linear(), X, rows(), null, CE, null, TrainingListener.NONE))
        .hasMessageContaining("trainable mask has 3 entries");
  }

  /**
   * A batch loss that computes the row loss's weighted mean with the same operations gives the same
   * parameters bit for bit: the row loss is only a special case of the batch loss.
   */
  @Test
  void rowLossIsTheWeightedMeanBatchLoss() {
    double[] w = new double[N];
    for (int i = 0; i < N; i++) {
      w[i] = 0.5 + (i % 5) * 0.25;
    }
    BatchLoss mean =
        (rows, from, count, scores, dScores) -> {
          double wSum = 0;
          for (int i = 0; i < count; i++) {
            wSum += w[rows[from + i]];
          }
          double[] s = new double[K];
          double[] g = new double[K];
          double total = 0;
          for (int i = 0; i < count; i++) {
            int row = rows[from + i];
            System.arraycopy(scores, i * K, s, 0, K);
            double l = LabelCrossEntropy.evaluate(s, Y[row], g);
            double wi = w[row] / wSum;
            total += wi * l;
            for (int c = 0; c < K; c++) {
              dScores[i * K + c] = wi * g[c];
            }
          }
          return total;
        };
    for (Algorithm a : List.of(Algorithm.ADAM, Algorithm.SGD)) {
      TrainOptions o = TrainOptions.defaults().withAlgorithm(a).withEpochs(6).withBatchSize(48);
      Scorer byRow = linear();
      Scorer byBatch = linear();
      FitResult r1 = new ScorerFitter(o).fit(byRow, X, rows(), w, CE, null, TrainingListener.NONE);
      FitResult r2 = new ScorerFitter(o).fit(byBatch, X, rows(), mean, null, TrainingListener.NONE);
      assertThat(byBatch.parameters()).as("%s", a).containsExactly(byRow.parameters());
      assertThat(r2.history()).isEqualTo(r1.history());
    }
  }

  /**
   * The caller's listener sees onStart(epochs, batches), one onBatch per minibatch (200 rows in
   * batches of 64: 4 per epoch) and one onEpoch per epoch whose mean loss is the count-weighted
   * mean of the batch losses.
   */
  @Test
  void progressReachesTheCallersListener() {
    List<String> events = new ArrayList<>();
    double[] weighted = {0};
    List<Double> epochLoss = new ArrayList<>();
    new ScorerFitter(TrainOptions.defaults().withEpochs(3).withBatchSize(64))
        .fit(
            linear(),
            X,
            rows(),
            null,
            CE,
            null,
            new TrainingListener() {
              @Override
              public void onStart(int epochs, int batchesPerEpoch) {
                events.add("start " + epochs + " " + batchesPerEpoch);
              }

              @Override
              public void onBatch(int epoch, int batch, double loss) {
                events.add("batch " + epoch + "." + batch);
                weighted[0] += loss * (batch < 3 ? 64 : 8);
              }

              @Override
              public void onEpoch(EpochLog log) {
                events.add("epoch " + log.epoch());
                epochLoss.add(log.trainLoss() - weighted[0] / N);
                weighted[0] = 0;
              }
            });
    assertThat(events)
        .containsExactly(
            "start 3 4",
            "batch 1.0",
            "batch 1.1",
            "batch 1.2",
            "batch 1.3",
            "epoch 1",
            "batch 2.0",
            "batch 2.1",
            "batch 2.2",
            "batch 2.3",
            "epoch 2",
            "batch 3.0",
            "batch 3.1",
            "batch 3.2",
            "batch 3.3",
            "epoch 3");
    assertThat(epochLoss).containsOnly(0.0);
  }

  /** A listener of a new trainer can stop the fit; the result says it stopped early. */
  @Test
  void aListenerCanStopTheFit() {
    FitListener afterTwo =
        new FitListener() {
          @Override
          public void onEpoch(FitState fit) {
            if (fit.epoch() == 2) {
              fit.stop();
            }
          }
        };
    FitResult r =
        new ScorerFitter(TrainOptions.defaults().withEpochs(10))
            .withListener(afterTwo)
            .fit(linear(), X, rows(), null, CE, null, TrainingListener.NONE);
    assertThat(r.epochs()).isEqualTo(2);
    assertThat(r.stoppedEarly()).isTrue();
    assertThat(r.bestEpoch()).isEqualTo(2);
  }

  /** Same seed, same parameters bit for bit; another seed, other parameters. */
  @Test
  void sameSeedSameParameters() {
    TrainOptions o = TrainOptions.defaults().withEpochs(3).withBatchSize(32);
    Scorer a = linear();
    Scorer b = linear();
    Scorer c = linear();
    new ScorerFitter(o).fit(a, X, rows(), null, CE, null, TrainingListener.NONE);
    new ScorerFitter(o).fit(b, X, rows(), null, CE, null, TrainingListener.NONE);
    new ScorerFitter(o.withSeed(1)).fit(c, X, rows(), null, CE, null, TrainingListener.NONE);
    assertThat(b.parameters()).containsExactly(a.parameters());
    assertThat(c.parameters()).isNotEqualTo(a.parameters());
  }

  /**
   * L-BFGS runs as one epoch numbered by its iterations, keeps its final point and reports each
   * objective evaluation as a batch of epoch 1.
   */
  @Test
  void lbfgsIsOneEpoch() {
    List<Integer> batches = new ArrayList<>();
    Scorer s = linear();
    FitResult r =
        new ScorerFitter(TrainOptions.defaults().withAlgorithm(Algorithm.LBFGS).withEpochs(15))
            .fit(
                s,
                X,
                rows(),
                null,
                CE,
                costs(0.25),
                new TrainingListener() {
                  @Override
                  public void onBatch(int epoch, int batch, double loss) {
                    assertThat(epoch).isEqualTo(1);
                    batches.add(batch);
                  }
                });
    assertThat(r.history()).hasSize(1);
    assertThat(r.epochs()).isEqualTo(r.bestEpoch()).isEqualTo(r.history().get(0).epoch());
    assertThat(r.epochs()).isBetween(1, 15);
    assertThat(r.best().cost()).isEqualTo(0.25);
    assertThat(r.stoppedEarly()).isFalse();
    assertThat(batches).isEqualTo(IntStream.rangeClosed(1, batches.size()).boxed().toList());
  }
}
