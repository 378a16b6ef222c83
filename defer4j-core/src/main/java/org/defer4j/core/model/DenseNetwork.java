package org.defer4j.core.model;

import java.util.Arrays;
import org.defer4j.core.Checks;

/**
 * A stack of fully connected layers, d → h₁ → … → A, with an activation after every hidden layer
 * and none after the last: the shared implementation of {@link LinearScorer} (no hidden layer) and
 * {@link MlpScorer}. Parameter layout as in {@link ScorerState}.
 *
 * <p>Back-propagation: with z_l = W_l a_{l−1} + b_l, a_l = σ(z_l), a_0 = x and δ_L = ∂L/∂s, ∂L/∂W_l
 * = δ_l a_{l−1}ᵀ, ∂L/∂b_l = δ_l, δ_{l−1} = (W_lᵀ δ_l) ⊙ σ'(z_{l−1}) and ∂L/∂x = W_1ᵀ δ_1.
 */
abstract sealed class DenseNetwork implements Scorer permits LinearScorer, MlpScorer {
  private final ScorerSpec spec;
  private final int[] sizes;
  private final int[] offsets;
  private final int layers;
  private final Activation activation;
  private final double[] theta;

  /**
   * Whether the first layer's weights are stored feature-major in θ (see {@link
   * #featureMajorFirstLayer}).
   */
  private boolean featureMajor;

  private double[] reorderScratch;

  DenseNetwork(ScorerSpec spec, double[] theta) {
    Checks.checkDimension("parameters of " + spec, theta.length, spec.parameterCount());
    this.spec = spec;
    this.sizes = spec.layerSizes();
    this.layers = sizes.length - 1;
    this.offsets = new int[layers];
    int offset = 0;
    for (int l = 0; l < layers; l++) {
      offsets[l] = offset;
      offset += sizes[l + 1] * sizes[l] + sizes[l + 1];
    }
    this.activation = spec.activation();
    this.theta = theta;
  }

  @Override
  public final int inputDim() {
    return sizes[0];
  }

  @Override
  public final int outputDim() {
    return sizes[layers];
  }

  @Override
  public final int parameterCount() {
    return theta.length;
  }

  @Override
  public final double[] parameters() {
    return theta;
  }

  @Override
  public final ScorerSpec spec() {
    return spec;
  }

  @Override
  public final ScorerState state() {
    requireOutputMajor("state");
    return new ScorerState(spec, theta);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The first layer's d × h weights are transposed in place (through a scratch vector kept for
   * the next switch); its biases and the other layers stay where they are.
   */
  @Override
  public final boolean featureMajorFirstLayer(boolean on) {
    if (on != featureMajor) {
      int size = sizes[1] * sizes[0];
      if (reorderScratch == null) {
        reorderScratch = new double[size];
      }
      Dense.reorderWeights(theta, offsets[0], sizes[0], sizes[1], on, reorderScratch);
      featureMajor = on;
    }
    return true;
  }

  /** Throws unless the first layer is in the published output-major order. */
  final void requireOutputMajor(String what) {
    if (featureMajor) {
      throw new IllegalStateException(
          what
              + " needs the first layer's weights in output-major order; they are stored"
              + " feature-major for a sparse minibatch fit (featureMajorFirstLayer(false) first)");
    }
  }

  @Override
  public final Workspace newWorkspace() {
    return new Buffers(sizes, 1);
  }

  @Override
  public final Workspace newWorkspace(int threads) {
    Checks.checkPositive("threads", threads);
    return new Buffers(sizes, threads);
  }

  @Override
  public final double penalty(double[] gradAccum) {
    if (gradAccum != null) {
      Checks.checkDimension("gradient", gradAccum.length, theta.length);
    }
    double lambda = spec.l2();
    if (lambda == 0) {
      // Nothing to add, and the sum of squares is not needed: trainers call this every minibatch.
      return 0;
    }
    double sum = 0;
    for (int l = 0; l < layers; l++) {
      int from = offsets[l];
      int to = from + sizes[l + 1] * sizes[l];
      // Four partial sums: a single chain would be bound by the latency of the additions.
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int i = from;
      for (; i + 4 <= to; i += 4) {
        s0 += theta[i] * theta[i];
        s1 += theta[i + 1] * theta[i + 1];
        s2 += theta[i + 2] * theta[i + 2];
        s3 += theta[i + 3] * theta[i + 3];
      }
      for (; i < to; i++) {
        s0 += theta[i] * theta[i];
      }
      sum += (s0 + s1) + (s2 + s3);
      if (gradAccum != null) {
        for (i = from; i < to; i++) {
          gradAccum[i] += lambda * theta[i];
        }
      }
    }
    return 0.5 * lambda * sum;
  }

  // ------------------------------------------------------------------------------ one row

  @Override
  public final void forward(double[] x, int xOffset, double[] scoresOut, Workspace ws) {
    requireOutputMajor("forward");
    Buffers w = buffers(ws);
    int d = sizes[0];
    if (xOffset < 0 || (long) xOffset + d > x.length) {
      throw new IllegalArgumentException(
          "a row of " + d + " features at offset " + xOffset + " does not fit in " + x.length);
    }
    checkAtLeast("scores", scoresOut.length, outputDim());
    System.arraycopy(x, xOffset, w.rowX, 0, d);
    double[] input = w.rowX;
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      if (l + 1 < layers) {
        double[] z = w.rowZ[l];
        double[] a = w.rowA[l];
        Dense.forwardRow(input, 0, in, theta, offsets[l], out, z, 0);
        for (int o = 0; o < out; o++) {
          a[o] = activation.apply(z[o]);
        }
        input = a;
      } else {
        Dense.forwardRow(input, 0, in, theta, offsets[l], out, scoresOut, 0);
      }
    }
    w.rowReady = true;
  }

  @Override
  public final void backward(double[] dLdScores, Workspace ws, double[] gradAccum) {
    requireOutputMajor("backward");
    Buffers w = buffers(ws);
    if (!w.rowReady) {
      throw new IllegalStateException("backward needs a forward pass with this workspace first");
    }
    checkAtLeast("dL/dscores", dLdScores.length, outputDim());
    Checks.checkDimension("gradient", gradAccum.length, theta.length);
    double[] g = dLdScores;
    for (int l = layers - 1; l >= 0; l--) {
      int in = sizes[l];
      int out = sizes[l + 1];
      double[] input = l == 0 ? w.rowX : w.rowA[l - 1];
      Dense.accumulateRow(input, in, g, out, gradAccum, offsets[l]);
      if (l > 0) {
        g = rowDelta(w, l, g);
      }
    }
  }

  @Override
  public final void inputGradient(double[] dLdScores, Workspace ws, double[] gradInputOut) {
    requireOutputMajor("inputGradient");
    Buffers w = buffers(ws);
    if (!w.rowReady) {
      throw new IllegalStateException(
          "inputGradient needs a forward pass with this workspace first");
    }
    checkAtLeast("dL/dscores", dLdScores.length, outputDim());
    checkAtLeast("input gradient", gradInputOut.length, inputDim());
    double[] g = dLdScores;
    for (int l = layers - 1; l > 0; l--) {
      g = rowDelta(w, l, g);
    }
    Dense.backInputRow(g, sizes[1], theta, offsets[0], sizes[0], gradInputOut);
  }

  /** δ_{l−1} = (W_lᵀ g) ⊙ σ'(z_{l−1}) for the recorded row. */
  private double[] rowDelta(Buffers w, int l, double[] g) {
    int in = sizes[l];
    double[] delta = w.rowDelta[l - 1];
    Dense.backInputRow(g, sizes[l + 1], theta, offsets[l], in, delta);
    double[] z = w.rowZ[l - 1];
    double[] a = w.rowA[l - 1];
    for (int j = 0; j < in; j++) {
      delta[j] *= activation.derivative(z[j], a[j]);
    }
    return delta;
  }

  // ------------------------------------------------------------------------------ batches

  @Override
  public final void forwardBatch(
      double[] features, int[] rows, int from, int count, double[] scoresOut, Workspace ws) {
    Buffers w = buffers(ws);
    checkSlice(rows, from, count);
    checkAtLeast("scores", scoresOut.length, (long) count * outputDim());
    int d = sizes[0];
    checkRows(rows, from, count, features.length / d, "feature block");
    w.ensure(count);
    w.sparseInput = false;
    double[][] x = w.x;
    Parallel.split(
        w.threads,
        count,
        4,
        (long) count * d,
        (t, lo, hi) -> {
          for (int b = lo; b < hi; b++) {
            System.arraycopy(features, rows[from + b] * d, x[b], 0, d);
          }
        });
    runForward(w, count, scoresOut);
  }

  @Override
  public final void forwardBatch(
      SparseRows features, int[] rows, int from, int count, double[] scoresOut, Workspace ws) {
    Buffers w = buffers(ws);
    checkSlice(rows, from, count);
    if (features.columns() != sizes[0]) {
      throw new IllegalArgumentException(
          "a sparse block of " + features.columns() + " columns for " + sizes[0] + " features");
    }
    checkAtLeast("scores", scoresOut.length, (long) count * outputDim());
    checkRows(rows, from, count, features.rows(), "sparse block");
    w.ensure(count);
    w.gather(features, rows, from, count);
    runForward(w, count, scoresOut);
  }

  @Override
  public final void forwardBatch(
      double[] features, int firstRow, int count, double[] scoresOut, Workspace ws) {
    requireOutputMajor("a forward pass over dense rows");
    Buffers w = buffers(ws);
    int d = sizes[0];
    long available = features.length / d;
    if (firstRow < 0 || count < 0 || (long) firstRow + count > available) {
      throw new IndexOutOfBoundsException(
          "rows ["
              + firstRow
              + ", "
              + ((long) firstRow + count)
              + ") are outside the feature block of "
              + available
              + " rows");
    }
    checkAtLeast("scores", scoresOut.length, (long) count * outputDim());
    w.ensure(count);
    w.sparseInput = false;
    double[][] x = w.x;
    Parallel.split(
        w.threads,
        count,
        4,
        (long) count * d,
        (t, lo, hi) -> {
          for (int b = lo; b < hi; b++) {
            System.arraycopy(features, (firstRow + b) * d, x[b], 0, d);
          }
        });
    runForward(w, count, scoresOut);
  }

  private void runForward(Buffers w, int n, double[] scoresOut) {
    double[][] input = w.x;
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      int off = offsets[l];
      boolean hidden = l + 1 < layers;
      double[][] x = input;
      double[][] z = hidden ? w.z[l] : w.scores;
      double[][] a = hidden ? w.a[l] : null;
      long work = (long) n * in * out;
      if (l == 0 && w.sparseInput) {
        boolean byFeature = featureMajor;
        double[][] acc = w.sparseAccumulators(out);
        splitSparse(
            w,
            n,
            out,
            (t, lo, hi, start, column, value) -> {
              if (byFeature) {
                Dense.forwardSparseFeatureMajor(
                    lo, hi, n, start, column, value, theta, off, in, out, z, acc[t]);
              } else {
                Dense.forwardSparse(lo, hi, n, start, column, value, theta, off, in, out, z);
              }
            });
        Parallel.split(w.threads, n, 4, (long) n * out, (t, lo, hi) -> activate(lo, hi, out, z, a));
      } else if (out >= Dense.WIDE) {
        double[][] wt = w.transposed(l);
        Parallel.split(
            w.threads,
            in,
            16,
            (long) in * out,
            (t, lo, hi) -> Dense.transpose(lo, hi, theta, off, out, in, wt));
        Parallel.split(
            w.threads,
            n,
            4,
            work,
            (t, lo, hi) -> {
              Dense.forwardWide(lo, hi, x, in, wt, theta, off + out * in, out, z);
              activate(lo, hi, out, z, a);
            });
      } else {
        Parallel.split(
            w.threads,
            n,
            4,
            work,
            (t, lo, hi) -> {
              Dense.forwardNarrow(lo, hi, x, in, theta, off, out, z);
              activate(lo, hi, out, z, a);
            });
      }
      if (hidden) {
        input = a;
      }
    }
    int outDim = outputDim();
    for (int b = 0; b < n; b++) {
      System.arraycopy(w.scores[b], 0, scoresOut, b * outDim, outDim);
    }
    w.n = n;
  }

  /**
   * A first-layer kernel over the recorded sparse batch (compressed rows {@code start}, {@code
   * column}, {@code value}) for the layer's outputs [from, to), run as task {@code task} of the
   * split.
   */
  private interface SparseKernel {
    void run(int task, int from, int to, int[] start, int[] column, double[] value);
  }

  /**
   * Runs a first-layer kernel on the recorded sparse batch, split over the layer's {@code out}
   * outputs (each task owns whole rows of the weights), the work counted by non-zeros. The forward
   * product and the weight gradient share this; their kernels ({@link Dense#forwardSparse}, {@link
   * Dense#accumulateSparseInput}) stay two static methods, called once per task: the inner loops
   * stay monomorphic and allocation-free.
   */
  private static void splitSparse(Buffers w, int n, int out, SparseKernel kernel) {
    int[] start = w.sparseStart;
    int[] column = w.sparseColumn;
    double[] value = w.sparseValue;
    Parallel.split(
        w.threads,
        out,
        4,
        (long) start[n] * out,
        (t, lo, hi) -> kernel.run(t, lo, hi, start, column, value));
  }

  /** Checks that rows [from, from + count) lie in the index array. */
  static void checkSlice(int[] rows, int from, int count) {
    if (from < 0 || count < 0 || (long) from + count > rows.length) {
      throw new IllegalArgumentException(
          "rows ["
              + from
              + ", "
              + ((long) from + count)
              + ") are outside the index array of length "
              + rows.length);
    }
  }

  /** Checks that the slice's row indices lie in a block of {@code available} rows. */
  static void checkRows(int[] rows, int from, int count, long available, String block) {
    for (int b = 0; b < count; b++) {
      int r = rows[from + b];
      if (r < 0 || r >= available) {
        throw new IndexOutOfBoundsException(
            "row " + r + " is outside the " + block + " of " + available + " rows");
      }
    }
  }

  /** a = σ(z) for rows [from, to); nothing for the output layer ({@code a == null}). */
  private void activate(int from, int to, int out, double[][] z, double[][] a) {
    if (a == null) {
      return;
    }
    for (int b = from; b < to; b++) {
      double[] zb = z[b];
      double[] ab = a[b];
      for (int o = 0; o < out; o++) {
        ab[o] = activation.apply(zb[o]);
      }
    }
  }

  @Override
  public final void backwardBatch(double[] dLdScores, Workspace ws, double[] gradAccum) {
    Buffers w = buffers(ws);
    int n = batchSize(w, "backwardBatch");
    Checks.checkDimension("gradient", gradAccum.length, theta.length);
    double[][] g = outputGradient(w, n, dLdScores);
    for (int l = layers - 1; l >= 0; l--) {
      accumulate(w, n, l, g, gradAccum);
      if (l > 0) {
        g = batchDelta(w, n, l, g);
      }
    }
  }

  /** Adds layer l's weight and bias gradients for the recorded batch, with δ_l = g. */
  private void accumulate(Buffers w, int n, int l, double[][] g, double[] gradAccum) {
    int in = sizes[l];
    int out = sizes[l + 1];
    int off = offsets[l];
    double[][] x = l == 0 ? w.x : w.a[l - 1];
    double[][] gw = w.weightGradient(l);
    double[] gb = w.biasGradient(l);
    System.arraycopy(gradAccum, off + out * in, gb, 0, out);
    boolean sparse = Dense.accumulateBias(n, g, out, gb);
    System.arraycopy(gb, 0, gradAccum, off + out * in, out);
    long work = (long) n * in * out;
    if (l == 0 && w.sparseInput) {
      // Only the non-zero inputs contribute; each task owns whole rows of the weight gradient.
      boolean byFeature = featureMajor;
      splitSparse(
          w,
          n,
          out,
          (t, lo, hi, start, column, value) -> {
            if (byFeature) {
              Dense.accumulateSparseInputFeatureMajor(
                  lo, hi, n, start, column, value, g, gradAccum, off, out);
            } else {
              Dense.accumulateSparseInput(lo, hi, n, start, column, value, g, gradAccum, off, in);
            }
          });
    } else if (sparse) {
      // Split over outputs: each task owns whole rows of the weight gradient.
      Parallel.split(
          w.threads,
          out,
          1,
          work,
          (t, lo, hi) -> {
            for (int o = lo; o < hi; o++) {
              System.arraycopy(gradAccum, off + o * in, gw[o], 0, in);
            }
            Dense.accumulateSparse(lo, hi, n, x, in, g, gw, w.nonZero[t]);
            for (int o = lo; o < hi; o++) {
              System.arraycopy(gw[o], 0, gradAccum, off + o * in, in);
            }
          });
    } else {
      // Split over input columns: each task owns a column slice of every row.
      Parallel.split(
          w.threads,
          in,
          64,
          work,
          (t, lo, hi) -> {
            for (int o = 0; o < out; o++) {
              System.arraycopy(gradAccum, off + o * in + lo, gw[o], lo, hi - lo);
            }
            Dense.accumulateDense(lo, hi, n, x, g, out, gw);
            for (int o = 0; o < out; o++) {
              System.arraycopy(gw[o], lo, gradAccum, off + o * in + lo, hi - lo);
            }
          });
    }
  }

  @Override
  public final void inputGradientBatch(double[] dLdScores, Workspace ws, double[] gradInputOut) {
    requireOutputMajor("inputGradientBatch");
    Buffers w = buffers(ws);
    int n = batchSize(w, "inputGradientBatch");
    int d = sizes[0];
    int out = sizes[1];
    checkAtLeast("input gradient", gradInputOut.length, (long) n * d);
    double[][] g0 = outputGradient(w, n, dLdScores);
    for (int l = layers - 1; l > 0; l--) {
      g0 = batchDelta(w, n, l, g0);
    }
    double[][] g = g0;
    double[][] wr = w.weightRows(0);
    Dense.rows(theta, offsets[0], out, d, wr);
    double[][] dx = w.inputGradientRows();
    Parallel.split(
        w.threads,
        n,
        4,
        (long) n * d * out,
        (t, lo, hi) -> {
          Dense.backInput(lo, hi, g, out, wr, d, dx);
          for (int b = lo; b < hi; b++) {
            System.arraycopy(dx[b], 0, gradInputOut, b * d, d);
          }
        });
  }

  private int batchSize(Buffers w, String what) {
    if (w.n < 0) {
      throw new IllegalStateException(
          what + " needs a forwardBatch pass with this workspace first");
    }
    return w.n;
  }

  private double[][] outputGradient(Buffers w, int n, double[] dLdScores) {
    int outDim = outputDim();
    checkAtLeast("dL/dscores", dLdScores.length, (long) n * outDim);
    double[][] g = w.scoreGradient;
    for (int b = 0; b < n; b++) {
      System.arraycopy(dLdScores, b * outDim, g[b], 0, outDim);
    }
    return g;
  }

  /** δ_{l−1} = (δ_l W_l) ⊙ σ'(z_{l−1}) for every row of the recorded batch. */
  private double[][] batchDelta(Buffers w, int n, int l, double[][] g) {
    int in = sizes[l];
    int out = sizes[l + 1];
    double[][] wr = w.weightRows(l);
    Dense.rows(theta, offsets[l], out, in, wr);
    double[][] delta = w.delta[l - 1];
    double[][] z = w.z[l - 1];
    double[][] a = w.a[l - 1];
    Parallel.split(
        w.threads,
        n,
        4,
        (long) n * in * out,
        (t, lo, hi) -> {
          Dense.backInput(lo, hi, g, out, wr, in, delta);
          for (int b = lo; b < hi; b++) {
            double[] db = delta[b];
            double[] zb = z[b];
            double[] ab = a[b];
            for (int j = 0; j < in; j++) {
              db[j] *= activation.derivative(zb[j], ab[j]);
            }
          }
        });
    return delta;
  }

  // ------------------------------------------------------------------------------ helpers

  private Buffers buffers(Workspace ws) {
    if (ws instanceof Buffers b && Arrays.equals(b.sizes, sizes)) {
      return b;
    }
    throw new IllegalArgumentException(
        "workspace "
            + ws
            + " was not made for a dense scorer with layer sizes "
            + Arrays.toString(sizes)
            + "; use newWorkspace()");
  }

  static void checkAtLeast(String what, long length, long needed) {
    if (length < needed) {
      throw new IllegalArgumentException(what + " has length " + length + ", needs " + needed);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + spec + "]";
  }

  /** The per-thread buffers of a dense network; see {@link Workspace}. */
  static final class Buffers implements Workspace {
    final int[] sizes;
    final int threads;
    private final int layers;

    final double[] rowX;
    final double[][] rowZ;
    final double[][] rowA;
    final double[][] rowDelta;
    boolean rowReady;

    int capacity;
    int n = -1;
    double[][] x;

    /**
     * Whether the recorded batch came from a {@link SparseRows} block (then {@code x} is unused).
     */
    boolean sparseInput;

    /**
     * The recorded sparse batch, compressed rows: batch row b's non-zeros at [start[b],
     * start[b+1]).
     */
    int[] sparseStart = new int[1];

    int[] sparseColumn = new int[0];
    double[] sparseValue = new double[0];
    double[][][] z;
    double[][][] a;
    double[][][] delta;
    double[][] scores;
    double[][] scoreGradient;
    int[][] nonZero;
    private double[][] dx;
    private final double[][][] transposed;
    private final double[][][] weightRows;
    private final double[][][] weightGradient;
    private final double[][] biasGradient;
    private double[][] sparseAccumulators;

    Buffers(int[] sizes, int threads) {
      this.sizes = sizes.clone();
      this.threads = threads;
      this.layers = sizes.length - 1;
      int hidden = layers - 1;
      rowX = new double[sizes[0]];
      rowZ = new double[hidden][];
      rowA = new double[hidden][];
      rowDelta = new double[hidden][];
      for (int l = 0; l < hidden; l++) {
        rowZ[l] = new double[sizes[l + 1]];
        rowA[l] = new double[sizes[l + 1]];
        rowDelta[l] = new double[sizes[l + 1]];
      }
      z = new double[hidden][][];
      a = new double[hidden][][];
      delta = new double[hidden][][];
      transposed = new double[layers][][];
      weightRows = new double[layers][][];
      weightGradient = new double[layers][][];
      biasGradient = new double[layers][];
      allocate(0);
    }

    /** Copies the non-zeros of the batch's rows into the sparse batch buffers. */
    void gather(SparseRows features, int[] rows, int from, int count) {
      if (sparseStart.length < count + 1) {
        sparseStart = new int[count + 1];
      }
      int nnz = 0;
      for (int b = 0; b < count; b++) {
        int r = rows[from + b];
        nnz += features.start[r + 1] - features.start[r];
      }
      if (sparseColumn.length < nnz) {
        sparseColumn = new int[nnz];
        sparseValue = new double[nnz];
      }
      int k = 0;
      for (int b = 0; b < count; b++) {
        int r = rows[from + b];
        int lo = features.start[r];
        int len = features.start[r + 1] - lo;
        System.arraycopy(features.column, lo, sparseColumn, k, len);
        System.arraycopy(features.value, lo, sparseValue, k, len);
        k += len;
        sparseStart[b + 1] = k;
      }
      sparseInput = true;
    }

    void ensure(int count) {
      if (count > capacity) {
        allocate(count);
      }
    }

    private void allocate(int rows) {
      capacity = rows;
      x = new double[rows][sizes[0]];
      for (int l = 0; l < layers - 1; l++) {
        z[l] = new double[rows][sizes[l + 1]];
        a[l] = new double[rows][sizes[l + 1]];
        delta[l] = new double[rows][sizes[l + 1]];
      }
      scores = new double[rows][sizes[layers]];
      scoreGradient = new double[rows][sizes[layers]];
      nonZero = new int[threads][rows];
      dx = null;
      n = -1;
    }

    /** Per-thread scratch of h entries for the feature-major sparse forward kernel. */
    double[][] sparseAccumulators(int h) {
      if (sparseAccumulators == null || sparseAccumulators[0].length < h) {
        sparseAccumulators = new double[threads][h];
      }
      return sparseAccumulators;
    }

    double[][] transposed(int l) {
      if (transposed[l] == null) {
        transposed[l] = new double[sizes[l]][sizes[l + 1]];
      }
      return transposed[l];
    }

    double[][] weightRows(int l) {
      if (weightRows[l] == null) {
        weightRows[l] = new double[sizes[l + 1]][sizes[l]];
      }
      return weightRows[l];
    }

    double[][] weightGradient(int l) {
      if (weightGradient[l] == null) {
        weightGradient[l] = new double[sizes[l + 1]][sizes[l]];
      }
      return weightGradient[l];
    }

    double[] biasGradient(int l) {
      if (biasGradient[l] == null) {
        biasGradient[l] = new double[sizes[l + 1]];
      }
      return biasGradient[l];
    }

    double[][] inputGradientRows() {
      if (dx == null) {
        dx = new double[capacity][sizes[0]];
      }
      return dx;
    }

    @Override
    public String toString() {
      return "dense workspace " + Arrays.toString(sizes) + " (" + threads + " threads)";
    }
  }
}
