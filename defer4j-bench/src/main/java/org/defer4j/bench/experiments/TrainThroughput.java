package org.defer4j.bench.experiments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.loss.Target;
import org.defer4j.core.model.Activation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.RowLoss;
import org.defer4j.core.train.ScorerFitter;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;

/**
 * Training throughput of defer4j's embedded scorers: minibatch Adam (learning rate 1e-3, batch 128,
 * no early stopping, no validation) over the training rows exported by {@link HateSpeechEvidence}
 * ({@code -export}), for the linear scorer and an MLP with 64 ReLU units, each with the {@code ce}
 * and {@code realizable} surrogates. The same model, loss and data are trained by {@code
 * defer4j-bench/python/train_bench.py} in PyTorch; {@code defer4j-bench/python/run_throughput.sh}
 * runs both back to back.
 *
 * <p>Each configuration is fitted three times to warm up the JIT, then {@code reps} times; the line
 * printed per configuration gives the median samples per second (rows × epochs / wall seconds of
 * the fit call) and every repetition. The fit runs on one thread (the embedded trainer does not
 * split minibatches).
 *
 * <p>Run: {@code java -cp defer4j-bench.jar org.defer4j.bench.experiments.TrainThroughput FILE
 * [epochs=2] [reps=5]}.
 */
public final class TrainThroughput {
  /** Fits before the timed ones: one epoch is not enough for the JIT to settle. */
  private static final int WARMUP_FITS = 3;

  private TrainThroughput() {}

  /** The exported training rows. */
  record Data(int n, int d, int k, int j, double[] x, int[] y, double[] e) {}

  /**
   * Entry point.
   *
   * @param args FILE [epochs] [reps]
   */
  public static void main(String[] args) throws IOException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Data data = read(Path.of(args[0]));
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    System.out.printf(
        Locale.ROOT,
        "defer4j n=%d d=%d K=%d J=%d epochs=%d batch=128 reps=%d threads=1 float64%n",
        data.n,
        data.d,
        data.k,
        data.j,
        epochs,
        reps);
    for (String scorer : new String[] {"linear", "mlp64"}) {
      for (String method : new String[] {"ce", "realizable"}) {
        double[] r = new double[reps];
        for (int w = 0; w < WARMUP_FITS; w++) {
          measure(data, scorer, method, epochs);
        }
        for (int i = 0; i < reps; i++) {
          r[i] = measure(data, scorer, method, epochs);
        }
        double[] sorted = r.clone();
        Arrays.sort(sorted);
        System.out.printf(
            Locale.ROOT,
            "RESULT defer4j float64 %s %s median_samples_per_s=%.0f reps=%s%n",
            scorer,
            method,
            sorted[reps / 2],
            Arrays.toString(Arrays.stream(r).map(Math::rint).toArray()));
      }
    }
  }

  static double measure(Data data, String scorerKind, String method, int epochs) {
    Surrogate s = Surrogates.byName(method);
    int outputs = s.scoreCount(data.k, data.j);
    ScorerSpec spec =
        scorerKind.equals("linear")
            ? ScorerSpec.linear(data.d, outputs)
            : ScorerSpec.mlp(data.d, outputs, Activation.RELU, 64);
    Scorer scorer = Scorers.create(spec, new SplittableRandom(1));
    Target[] targets = new Target[data.n];
    double[] e = new double[data.j];
    for (int i = 0; i < data.n; i++) {
      System.arraycopy(data.e, i * data.j, e, 0, data.j);
      targets[i] = Target.classification(data.y[i], e);
    }
    RowLoss loss = (row, scores, grad) -> s.evaluate(scores, targets[row], grad);
    int[] rows = new int[data.n];
    Arrays.setAll(rows, i -> i);
    TrainOptions o = new TrainOptions(Algorithm.ADAM, 1e-3, epochs, 128, 0, 7L);
    long t0 = System.nanoTime();
    new ScorerFitter(o).fit(scorer, data.x, rows, null, loss, null, TrainingListener.NONE);
    double sec = (System.nanoTime() - t0) / 1e9;
    return (double) data.n * epochs / sec;
  }

  /** Reads the format written by {@link HateSpeechEvidence#exportTraining}. */
  static Data read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int n = b.getInt();
    int d = b.getInt();
    int k = b.getInt();
    int j = b.getInt();
    double[] x = new double[n * d];
    b.asDoubleBuffer().get(x);
    b.position(b.position() + 8 * n * d);
    int[] y = new int[n];
    b.asIntBuffer().get(y);
    b.position(b.position() + 4 * n);
    double[] e = new double[n * j];
    b.asDoubleBuffer().get(e);
    return new Data(n, d, k, j, x, y, e);
  }
}
