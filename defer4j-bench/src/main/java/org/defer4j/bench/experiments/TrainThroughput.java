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
import org.defer4j.core.model.SparseRows;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.Precision;
import org.defer4j.core.train.RowLoss;
import org.defer4j.core.train.ScorerFitter;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingListener;

/**
 * Training throughput of defer4j's embedded scorers: minibatch Adam (learning rate 1e-3, batch 128,
 * no early stopping, no validation during the fit) over the training rows exported by {@link
 * HateSpeechEvidence} ({@code -export}), for the linear scorer and an MLP with 64 ReLU units, each
 * with the {@code ce} and {@code realizable} surrogates. The same model, loss and data are trained
 * by {@code defer4j-bench/python/train_bench.py} in PyTorch; {@code
 * defer4j-bench/python/run_throughput.sh} runs both back to back.
 *
 * <p>The scorers start from PyTorch's initialisation ({@link #initialiseLikeTorch}). Each
 * configuration is fitted at least three times and for at least two seconds to warm up the JIT,
 * then {@code reps} times; the line printed per configuration gives the median samples per second
 * (rows × epochs / wall seconds of the fit call), every repetition, and the median system accuracy
 * on the validation rows (FILE.val, when present) of the fitted scorers: the argmax of the scores
 * decides, a class index is right when it is the label, a deferral is right when the expert was.
 * Two inputs are timed: {@code dense}, the row-major double block as exported (the fitter finds
 * sparse features itself, the scan counted in the time), and {@code sparse}, the block stored once
 * by its non-zeros ({@link SparseRows}, built before the clock starts, as PyTorch's tensors are).
 *
 * <p>Run: {@code java -cp defer4j-bench.jar org.defer4j.bench.experiments.TrainThroughput FILE
 * [epochs=2] [reps=5]}; {@code ... TrainThroughput -project D IN OUT} writes a dense benchmark file
 * instead: the rows of IN (and IN.val) times a seeded d × D matrix of standard normal entries, in
 * the same format (a stand-in for D-dimensional embeddings). The system property {@code
 * throughput.only}, a regular expression over "INPUT SCORER METHOD PRECISION" (e.g. {@code "dense
 * mlp64 ce float32"}), keeps only the configurations it matches; each runs in float64 and in
 * float32 ({@link Precision}).
 */
public final class TrainThroughput {
  /** Fits before the timed ones: one epoch is not enough for the JIT to settle. */
  private static final int WARMUP_FITS = 3;

  /**
   * Warm-up lasts at least this long too: the JIT's compilations of a configuration's passes go on
   * for about half a second of fits (longer in a JVM that ran other configurations first), and
   * three one-epoch fits of 15,000 rows take a fifth of that.
   */
  private static final long WARMUP_NANOS = 2_000_000_000L;

  /** The configurations to run ("INPUT SCORER METHOD PRECISION"), all by default. */
  private static final String ONLY = System.getProperty("throughput.only", ".*");

  private TrainThroughput() {}

  /** The exported rows. */
  record Data(int n, int d, int k, int j, double[] x, int[] y, double[] e) {}

  /**
   * Entry point.
   *
   * @param args FILE [epochs] [reps], or -project D IN OUT
   */
  public static void main(String[] args) throws IOException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    if (args[0].equals("-project")) {
      int dim = Integer.parseInt(args[1]);
      Path in = Path.of(args[2]);
      Path out = Path.of(args[3]);
      double[] r = projection(read(in).d, dim);
      write(project(read(in), r, dim), out);
      Path inVal = sibling(in, ".val");
      if (Files.exists(inVal)) {
        write(project(read(inVal), r, dim), sibling(out, ".val"));
      }
      return;
    }
    Path file = Path.of(args[0]);
    Data data = read(file);
    Path valFile = sibling(file, ".val");
    Data val = Files.exists(valFile) ? read(valFile) : null;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    long c0 = System.nanoTime();
    SparseRows sparse = SparseRows.of(data.x, data.d);
    double convert = (System.nanoTime() - c0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "defer4j n=%d d=%d K=%d J=%d epochs=%d batch=128 reps=%d threads=1 float64 density=%.4f"
            + " sparse_storage_s=%.3f validation_rows=%d%n",
        data.n,
        data.d,
        data.k,
        data.j,
        epochs,
        reps,
        sparse.density(),
        convert,
        val == null ? 0 : val.n);
    for (String input : new String[] {"dense", "sparse"}) {
      if (input.equals("sparse") && sparse.density() > ScorerFitter.SPARSE_DENSITY) {
        continue;
      }
      for (String scorer : new String[] {"linear", "mlp64"}) {
        for (String method : new String[] {"ce", "realizable"}) {
          for (Precision precision : Precision.values()) {
            if (!(input + " " + scorer + " " + method + " " + precision.label()).matches(ONLY)) {
              continue;
            }
            SparseRows in = input.equals("sparse") ? sparse : null;
            long warmStart = System.nanoTime();
            for (int w = 0; w < WARMUP_FITS || System.nanoTime() - warmStart < WARMUP_NANOS; w++) {
              measure(data, in, val, scorer, method, epochs, precision);
            }
            double[] r = new double[reps];
            double[] acc = new double[reps];
            for (int i = 0; i < reps; i++) {
              double[] m = measure(data, in, val, scorer, method, epochs, precision);
              r[i] = m[0];
              acc[i] = m[1];
            }
            System.out.printf(
                Locale.ROOT,
                "RESULT defer4j-%s %s %s %s median_samples_per_s=%.0f reps=%s"
                    + " median_val_accuracy=%.4f%n",
                input,
                precision.label(),
                scorer,
                method,
                median(r),
                Arrays.toString(Arrays.stream(r).map(Math::rint).toArray()),
                median(acc));
          }
        }
      }
    }
  }

  private static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** {samples per second, validation system accuracy (NaN without validation rows)}. */
  static double[] measure(
      Data data,
      SparseRows sparse,
      Data val,
      String scorerKind,
      String method,
      int epochs,
      Precision precision) {
    Surrogate s = Surrogates.byName(method);
    int outputs = s.scoreCount(data.k, data.j);
    ScorerSpec spec =
        scorerKind.equals("linear")
            ? ScorerSpec.linear(data.d, outputs)
            : ScorerSpec.mlp(data.d, outputs, Activation.RELU, 64);
    Scorer scorer = Scorers.create(spec, new SplittableRandom(1));
    initialiseLikeTorch(scorer, new SplittableRandom(1));
    Target[] targets = new Target[data.n];
    double[] e = new double[data.j];
    for (int i = 0; i < data.n; i++) {
      System.arraycopy(data.e, i * data.j, e, 0, data.j);
      targets[i] = Target.classification(data.y[i], e);
    }
    RowLoss loss = (row, scores, grad) -> s.evaluate(scores, targets[row], grad);
    int[] rows = new int[data.n];
    Arrays.setAll(rows, i -> i);
    TrainOptions o = new TrainOptions(Algorithm.ADAM, 1e-3, epochs, 128, 0, 7L, precision);
    ScorerFitter fitter = new ScorerFitter(o);
    long t0 = System.nanoTime();
    if (sparse != null) {
      fitter.fit(scorer, sparse, rows, null, loss, null, TrainingListener.NONE);
    } else {
      fitter.fit(scorer, data.x, rows, null, loss, null, TrainingListener.NONE);
    }
    double sec = (System.nanoTime() - t0) / 1e9;
    return new double[] {(double) data.n * epochs / sec, accuracy(scorer, val)};
  }

  /**
   * Overwrites the parameters with the initialisation of PyTorch's {@code nn.Linear} (weights and
   * biases uniform on ±1/√in, in = the layer's inputs), so that both sides start from the same
   * distribution and their validation accuracies after the same epochs can be compared; defer4j's
   * own default (He-normal weights) starts with larger scores and is further from the optimum after
   * one epoch at this learning rate.
   */
  static void initialiseLikeTorch(Scorer scorer, SplittableRandom rng) {
    int[] sizes = scorer.spec().layerSizes();
    double[] theta = scorer.parameters();
    int offset = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      double bound = 1 / Math.sqrt(sizes[l]);
      int count = sizes[l + 1] * sizes[l] + sizes[l + 1];
      for (int i = 0; i < count; i++) {
        theta[offset + i] = bound * (2 * rng.nextDouble() - 1);
      }
      offset += count;
    }
  }

  /** System accuracy of the argmax decision on the rows of {@code val}. */
  static double accuracy(Scorer scorer, Data val) {
    if (val == null) {
      return Double.NaN;
    }
    int a = scorer.outputDim();
    double[] scores = new double[val.n * a];
    scorer.scoreRows(val.x, 0, val.n, scores, scorer.newWorkspace());
    int right = 0;
    for (int i = 0; i < val.n; i++) {
      int best = 0;
      for (int q = 1; q < a; q++) {
        if (scores[i * a + q] > scores[i * a + best]) {
          best = q;
        }
      }
      boolean ok = best < val.k ? best == val.y[i] : val.e[i * val.j + best - val.k] > 0;
      right += ok ? 1 : 0;
    }
    return (double) right / val.n;
  }

  private static Path sibling(Path p, String suffix) {
    return p.resolveSibling(p.getFileName() + suffix);
  }

  /** A d × dim matrix of standard normal entries (row-major), seeded. */
  static double[] projection(int d, int dim) {
    SplittableRandom rng = new SplittableRandom(2026);
    double[] r = new double[d * dim];
    for (int i = 0; i < r.length; i += 2) {
      // Box–Muller: two standard normal draws from two uniforms.
      double u = 1 - rng.nextDouble();
      double v = rng.nextDouble();
      double rad = Math.sqrt(-2 * Math.log(u));
      r[i] = rad * Math.cos(2 * Math.PI * v);
      if (i + 1 < r.length) {
        r[i + 1] = rad * Math.sin(2 * Math.PI * v);
      }
    }
    return r;
  }

  static Data project(Data in, double[] r, int dim) {
    double[] x = new double[in.n * dim];
    for (int i = 0; i < in.n; i++) {
      for (int q = 0; q < in.d; q++) {
        double v = in.x[i * in.d + q];
        if (v != 0) {
          for (int t = 0; t < dim; t++) {
            x[i * dim + t] += v * r[q * dim + t];
          }
        }
      }
    }
    return new Data(in.n, dim, in.k, in.j, x, in.y, in.e);
  }

  /** Writes the format of {@link HateSpeechEvidence#exportTraining}. */
  static void write(Data data, Path file) throws IOException {
    ByteBuffer b =
        ByteBuffer.allocate(16 + 8 * data.x.length + 4 * data.n + 8 * data.e.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(data.n).putInt(data.d).putInt(data.k).putInt(data.j);
    for (double v : data.x) {
      b.putDouble(v);
    }
    for (int v : data.y) {
      b.putInt(v);
    }
    for (double v : data.e) {
      b.putDouble(v);
    }
    Files.write(file, b.array());
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
