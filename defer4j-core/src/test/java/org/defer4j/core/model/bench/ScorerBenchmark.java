package org.defer4j.core.model.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Workspace;
import org.defer4j.core.optim.Adam;
import org.defer4j.core.optim.AdamOptions;

/**
 * Training throughput of the embedded scorers, in rows per second, on one thread: d = 1024 inputs,
 * A = 6 scores, minibatches of 128 rows drawn in shuffled order from an 8192-row table.
 *
 * <p>Three measurements per scorer: {@code fwd+bwd} (forwardBatch + backwardBatch), {@code step}
 * (the same plus a softmax cross-entropy gradient, the L2 penalty and an Adam step: one training
 * step, the number to compare with a PyTorch training loop), and {@code row fwd+bwd} (the
 * single-row path, for reference). Each figure is the median of 7 timed rounds of about a second
 * after 3 s of warm-up.
 *
 * <p>The batch figures are taken with one thread and, when the machine has more cores, again with a
 * workspace allowed all of them ({@code newWorkspace(threads)}).
 *
 * <p>Run with {@code java -cp defer4j-core/target/classes:defer4j-core/target/test-classes
 * org.defer4j.core.model.bench.ScorerBenchmark [seconds-per-round [threads]]}; not run by the test
 * suite.
 */
public final class ScorerBenchmark {
  private static final int D = 1024;
  private static final int A = 6;
  private static final int BATCH = 128;
  private static final int ROWS = 8192;

  private ScorerBenchmark() {}

  /** Entry point; optional argument: seconds per timed round (default 1). */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    int cores =
        args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    SplittableRandom rng = new SplittableRandom(2024);
    double[] features = new double[ROWS * D];
    for (int i = 0; i < features.length; i++) {
      features[i] = rng.nextDouble() * 2 - 1;
    }
    int[] labels = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      labels[i] = rng.nextInt(A);
    }
    System.out.printf(
        Locale.ROOT,
        "java %s, %s; d=%d, A=%d, batch=%d; rows/s (median of 7 rounds)%n",
        System.getProperty("java.version"),
        System.getProperty("os.arch"),
        D,
        A,
        BATCH);
    ScorerSpec[] specs = {
      ScorerSpec.linear(D, A).withL2(1e-4),
      ScorerSpec.mlp(D, A, Activation.RELU, 64).withL2(1e-4),
      ScorerSpec.mlp(D, A, Activation.TANH, 64).withL2(1e-4),
    };
    for (ScorerSpec spec : specs) {
      for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
        Bench bench = new Bench(spec.create(new SplittableRandom(1)), features, labels, threads);
        report(spec, "fwd+bwd  t=" + threads, bench::forwardBackward, seconds);
        report(spec, "step     t=" + threads, bench::trainingStep, seconds);
      }
      Bench bench = new Bench(spec.create(new SplittableRandom(1)), features, labels, 1);
      report(spec, "row fwd+bwd", bench::rowForwardBackward, seconds);
    }
  }

  private static void report(ScorerSpec spec, String what, Batch batch, double seconds) {
    long warmEnd = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      batch.run();
    }
    double[] rates = new double[7];
    for (int r = 0; r < rates.length; r++) {
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long batches = 0;
      long now;
      do {
        batch.run();
        batches++;
        now = System.nanoTime();
      } while (now < end);
      rates[r] = batches * BATCH / ((now - start) / 1e9);
    }
    Arrays.sort(rates);
    System.out.printf(
        Locale.ROOT,
        "%-40s %-13s %9.0f rows/s  (min %.0f, max %.0f)%n",
        spec,
        what,
        rates[rates.length / 2],
        rates[0],
        rates[rates.length - 1]);
  }

  @FunctionalInterface
  private interface Batch {
    void run();
  }

  /** One scorer's training loop state. */
  private static final class Bench {
    private final Scorer scorer;
    private final double[] features;
    private final int[] labels;
    private final int[] order;
    private final Workspace ws;
    private final double[] scores = new double[BATCH * A];
    private final double[] dScores = new double[BATCH * A];
    private final double[] grad;
    private final Adam adam;
    private final SplittableRandom rng = new SplittableRandom(7);
    private int cursor;
    private double sink;

    Bench(Scorer scorer, double[] features, int[] labels, int threads) {
      this.scorer = scorer;
      this.features = features;
      this.labels = labels;
      this.order = new int[ROWS];
      for (int i = 0; i < ROWS; i++) {
        order[i] = i;
      }
      this.ws = scorer.newWorkspace(threads);
      this.grad = new double[scorer.parameterCount()];
      this.adam = new Adam(AdamOptions.defaults(), scorer.parameterCount());
      this.cursor = ROWS;
    }

    private int nextBatch() {
      if (cursor + BATCH > ROWS) {
        for (int i = ROWS - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
        cursor = 0;
      }
      int from = cursor;
      cursor += BATCH;
      return from;
    }

    void forwardBackward() {
      int from = nextBatch();
      scorer.forwardBatch(features, order, from, BATCH, scores, ws);
      // A cheap stand-in for dL/ds that depends on the scores.
      for (int i = 0; i < dScores.length; i++) {
        dScores[i] = scores[i] * (1.0 / BATCH);
      }
      Arrays.fill(grad, 0);
      scorer.backwardBatch(dScores, ws, grad);
      sink += grad[0];
    }

    void trainingStep() {
      int from = nextBatch();
      scorer.forwardBatch(features, order, from, BATCH, scores, ws);
      for (int b = 0; b < BATCH; b++) {
        int y = labels[order[from + b]];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < A; k++) {
          max = Math.max(max, scores[b * A + k]);
        }
        double sum = 0;
        for (int k = 0; k < A; k++) {
          double e = Math.exp(scores[b * A + k] - max);
          dScores[b * A + k] = e;
          sum += e;
        }
        for (int k = 0; k < A; k++) {
          dScores[b * A + k] = (dScores[b * A + k] / sum - (k == y ? 1 : 0)) / BATCH;
        }
      }
      Arrays.fill(grad, 0);
      scorer.backwardBatch(dScores, ws, grad);
      scorer.penalty(grad);
      adam.step(scorer.parameters(), grad);
    }

    void rowForwardBackward() {
      int from = nextBatch();
      double[] s = new double[A];
      Arrays.fill(grad, 0);
      for (int b = 0; b < BATCH; b++) {
        scorer.forward(features, order[from + b] * D, s, ws);
        for (int k = 0; k < A; k++) {
          s[k] *= 1.0 / BATCH;
        }
        scorer.backward(s, ws, grad);
      }
      sink += grad[0];
    }
  }
}
