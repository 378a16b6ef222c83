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
    return new ScorerState(spec, theta);
  }

  @Override
  public final Workspace newWorkspace() {
    return new Buffers(sizes);
  }

  @Override
  public final double penalty(double[] gradAccum) {
    if (gradAccum != null) {
      Checks.checkDimension("gradient", gradAccum.length, theta.length);
    }
    double lambda = spec.l2();
    double sum = 0;
    for (int l = 0; l < layers; l++) {
      int from = offsets[l];
      int to = from + sizes[l + 1] * sizes[l];
      for (int i = from; i < to; i++) {
        double w = theta[i];
        sum += w * w;
      }
      if (gradAccum != null && lambda != 0) {
        for (int i = from; i < to; i++) {
          gradAccum[i] += lambda * theta[i];
        }
      }
    }
    return 0.5 * lambda * sum;
  }

  // ------------------------------------------------------------------------------ one row

  @Override
  public final void forward(double[] x, int xOffset, double[] scoresOut, Workspace ws) {
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
    if (from < 0 || count < 0 || (long) from + count > rows.length) {
      throw new IllegalArgumentException(
          "rows ["
              + from
              + ", "
              + ((long) from + count)
              + ") are outside the index array of length "
              + rows.length);
    }
    checkAtLeast("scores", scoresOut.length, (long) count * outputDim());
    int d = sizes[0];
    long available = features.length / d;
    w.ensure(count);
    for (int b = 0; b < count; b++) {
      int r = rows[from + b];
      if (r < 0 || r >= available) {
        throw new IndexOutOfBoundsException(
            "row " + r + " is outside the feature block of " + available + " rows");
      }
      System.arraycopy(features, r * d, w.x[b], 0, d);
    }
    runForward(w, count, scoresOut);
  }

  @Override
  public final void forwardBatch(
      double[] features, int firstRow, int count, double[] scoresOut, Workspace ws) {
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
    for (int b = 0; b < count; b++) {
      System.arraycopy(features, (firstRow + b) * d, w.x[b], 0, d);
    }
    runForward(w, count, scoresOut);
  }

  private void runForward(Buffers w, int n, double[] scoresOut) {
    double[][] input = w.x;
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      double[][] z = l + 1 < layers ? w.z[l] : w.scores;
      if (out >= Dense.WIDE) {
        double[][] wt = w.transposed(l);
        Dense.transpose(theta, offsets[l], out, in, wt);
        Dense.forwardWide(n, input, in, wt, theta, offsets[l] + out * in, out, z);
      } else {
        Dense.forwardNarrow(n, input, in, theta, offsets[l], out, z);
      }
      if (l + 1 < layers) {
        double[][] a = w.a[l];
        for (int b = 0; b < n; b++) {
          double[] zb = z[b];
          double[] ab = a[b];
          for (int o = 0; o < out; o++) {
            ab[o] = activation.apply(zb[o]);
          }
        }
        input = a;
      }
    }
    int outDim = outputDim();
    for (int b = 0; b < n; b++) {
      System.arraycopy(w.scores[b], 0, scoresOut, b * outDim, outDim);
    }
    w.n = n;
  }

  @Override
  public final void backwardBatch(double[] dLdScores, Workspace ws, double[] gradAccum) {
    Buffers w = buffers(ws);
    int n = batchSize(w, "backwardBatch");
    Checks.checkDimension("gradient", gradAccum.length, theta.length);
    double[][] g = outputGradient(w, n, dLdScores);
    for (int l = layers - 1; l >= 0; l--) {
      int in = sizes[l];
      int out = sizes[l + 1];
      double[][] input = l == 0 ? w.x : w.a[l - 1];
      double[][] gw = w.weightGradient(l);
      double[] gb = w.biasGradient(l);
      int off = offsets[l];
      for (int o = 0; o < out; o++) {
        System.arraycopy(gradAccum, off + o * in, gw[o], 0, in);
      }
      System.arraycopy(gradAccum, off + out * in, gb, 0, out);
      Dense.accumulate(n, input, in, g, out, gw, gb, w.nonZero);
      for (int o = 0; o < out; o++) {
        System.arraycopy(gw[o], 0, gradAccum, off + o * in, in);
      }
      System.arraycopy(gb, 0, gradAccum, off + out * in, out);
      if (l > 0) {
        g = batchDelta(w, n, l, g);
      }
    }
  }

  @Override
  public final void inputGradientBatch(double[] dLdScores, Workspace ws, double[] gradInputOut) {
    Buffers w = buffers(ws);
    int n = batchSize(w, "inputGradientBatch");
    int d = sizes[0];
    checkAtLeast("input gradient", gradInputOut.length, (long) n * d);
    double[][] g = outputGradient(w, n, dLdScores);
    for (int l = layers - 1; l > 0; l--) {
      g = batchDelta(w, n, l, g);
    }
    double[][] wr = w.weightRows(0);
    Dense.rows(theta, offsets[0], sizes[1], d, wr);
    double[][] dx = w.inputGradientRows();
    Dense.backInput(n, g, sizes[1], wr, d, dx);
    for (int b = 0; b < n; b++) {
      System.arraycopy(dx[b], 0, gradInputOut, b * d, d);
    }
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
    Dense.backInput(n, g, out, wr, in, delta);
    double[][] z = w.z[l - 1];
    double[][] a = w.a[l - 1];
    for (int b = 0; b < n; b++) {
      double[] db = delta[b];
      double[] zb = z[b];
      double[] ab = a[b];
      for (int j = 0; j < in; j++) {
        db[j] *= activation.derivative(zb[j], ab[j]);
      }
    }
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

  private static void checkAtLeast(String what, long length, long needed) {
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
    private final int layers;

    final double[] rowX;
    final double[][] rowZ;
    final double[][] rowA;
    final double[][] rowDelta;
    boolean rowReady;

    int capacity;
    int n = -1;
    double[][] x;
    double[][][] z;
    double[][][] a;
    double[][][] delta;
    double[][] scores;
    double[][] scoreGradient;
    int[] nonZero;
    private double[][] dx;
    private final double[][][] transposed;
    private final double[][][] weightRows;
    private final double[][][] weightGradient;
    private final double[][] biasGradient;

    Buffers(int[] sizes) {
      this.sizes = sizes.clone();
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
      nonZero = new int[rows];
      dx = null;
      n = -1;
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
      return "dense workspace " + Arrays.toString(sizes);
    }
  }
}
