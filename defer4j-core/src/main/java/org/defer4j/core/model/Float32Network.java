package org.defer4j.core.model;

import java.util.Arrays;
import org.defer4j.core.Checks;

/**
 * A float32 copy of a dense scorer ({@link LinearScorer} or {@link MlpScorer}) with the minibatch
 * forward and backward passes of training: what a fit in {@code float32} precision steps, the
 * scorer's own float64 parameters being written back ({@link #copyTo}) whenever anything else reads
 * them (validation, the epoch listeners, the result).
 *
 * <p>The parameters are held as rows ({@link #parameters()}): for every layer l, in order, one row
 * of {@code out} weights per input j (W_l[j, ·], input-major; the scorer's θ is output-major), then
 * one row of {@code out} biases. Every pass is made of element-wise loops over whole arrays, four
 * terms per pass, which the JIT compiles to vector fused multiply-adds (on JDK 17 it does not
 * vectorise such a loop over a slice at a computed offset of a flat array, hence rows). Sparse
 * input rows run batch-major: a row's pre-activations are a sum of scaled weight rows over its
 * non-zero inputs. Dense input rows run feature-major ({@link #runFeatureMajor}), so that the loops
 * run over the batch and the inputs rather than over a layer's few outputs. Each multiply-add is
 * rounded to float32, as in PyTorch's float32 {@code nn.Linear}; the loss and its gradient with
 * respect to the scores are computed in float64 from the float32 scores.
 *
 * <p>Not thread-safe: one fit owns it.
 */
public final class Float32Network {
  /**
   * Layers with fewer outputs (a scorer's output layer: one score per class and expert) are
   * computed output-major: their scores as dot products over the inputs and their weight gradient
   * in a scratch of one row of {@code in} entries per output ({@link #narrowGradient}); a vector
   * loop over so few outputs costs more than it saves.
   */
  private static final int NARROW = 16;

  private final ScorerSpec spec;
  private final int[] sizes;
  private final int[] offsets;
  private final int[] firstRow;
  private final int layers;
  private final Activation activation;
  private final float[][] rows;
  private final float l2;
  private final float[][][] transposed;
  private final float[][][] weights;

  /**
   * Per narrow layer, its weight gradient output-major ({@code out} rows of {@code in}); else null.
   */
  private final float[][][] narrowGradient;

  private int capacity;
  private int n = -1;
  private boolean sparseInput;
  private float[][] x = new float[0][];
  private int[] start = new int[1];
  private int[] column = new int[0];
  private float[] value = new float[0];
  private final float[][][] z;
  private final float[][][] a;
  private float[][] g = new float[0][];
  private float[][] delta = new float[0][];

  /**
   * The dense path's buffers, feature-major ({@link #runFeatureMajor}): per input feature, per
   * layer's unit, one entry per batch row; and per layer its weight gradient output-major.
   */
  private int featureMajorCapacity;

  private float[][] xt = new float[0][];

  /** The batch's input rows: the converted rows {@link #x}, or rows the caller gave in float32. */
  private float[][] inputRows = new float[0][];

  private float[][][] zt;
  private float[][][] at;
  private float[][] gt;
  private float[][] dt;
  private float[][][] gradT;

  /** Scratch for a row's non-zero entries: their indices and values. */
  private int[] nzIndex;

  private float[] nzValue;

  private Float32Network(DenseNetwork scorer) {
    this.spec = scorer.spec();
    this.sizes = spec.layerSizes();
    this.layers = sizes.length - 1;
    this.offsets = new int[layers];
    this.firstRow = new int[layers];
    int offset = 0;
    int row = 0;
    for (int l = 0; l < layers; l++) {
      offsets[l] = offset;
      firstRow[l] = row;
      offset += sizes[l + 1] * sizes[l] + sizes[l + 1];
      row += sizes[l] + 1;
    }
    this.rows = new float[row][];
    for (int l = 0; l < layers; l++) {
      for (int r = 0; r <= sizes[l]; r++) {
        rows[firstRow[l] + r] = new float[sizes[l + 1]];
      }
    }
    this.weights = new float[layers][][];
    for (int l = 0; l < layers; l++) {
      weights[l] = Arrays.copyOfRange(rows, firstRow[l], firstRow[l] + sizes[l]);
    }
    this.activation = spec.activation();
    this.l2 = (float) spec.l2();
    this.transposed = new float[layers][][];
    this.narrowGradient = new float[layers][][];
    for (int l = 0; l < layers; l++) {
      if (l > 0 || sizes[l + 1] < NARROW) {
        transposed[l] = new float[sizes[l + 1]][sizes[l]];
      }
      if (sizes[l + 1] < NARROW) {
        narrowGradient[l] = new float[sizes[l + 1]][sizes[l]];
      }
    }
    this.z = new float[layers][][];
    this.a = new float[layers - 1][][];
    int widest = 0;
    for (int size : sizes) {
      widest = Math.max(widest, size);
    }
    this.nzIndex = new int[widest];
    this.nzValue = new float[widest];
    copyFrom(scorer);
  }

  /** Whether {@link #of} can copy this scorer: a linear scorer or an MLP of defer4j. */
  public static boolean supports(Scorer scorer) {
    return scorer instanceof DenseNetwork;
  }

  /**
   * A float32 copy of a linear or MLP scorer's parameters, rounded to nearest.
   *
   * @throws IllegalArgumentException for another kind of scorer
   * @throws IllegalStateException for one whose first layer is stored feature-major ({@link
   *     Scorer#featureMajorFirstLayer})
   */
  public static Float32Network of(Scorer scorer) {
    if (!(scorer instanceof DenseNetwork dense)) {
      throw new IllegalArgumentException(
          "float32 training is implemented for the linear and MLP scorers, not " + scorer);
    }
    return new Float32Network(dense);
  }

  /** The number of parameters, the scorer's. */
  public int parameterCount() {
    return offsets[layers - 1] + sizes[layers] * sizes[layers - 1] + sizes[layers];
  }

  /** The live float32 parameters, as rows (see the class comment). */
  public float[][] parameters() {
    return rows;
  }

  /** A zero array of this network's parameter rows' shape: a gradient. */
  public float[][] newRows() {
    float[][] out = new float[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      out[r] = new float[rows[r].length];
    }
    return out;
  }

  /** The spec of the copied scorer. */
  public ScorerSpec spec() {
    return spec;
  }

  /** Overwrites these parameters with the scorer's, rounded to float32. */
  public void copyFrom(Scorer scorer) {
    double[] src = source(scorer);
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      int off = offsets[l];
      for (int j = 0; j <= in; j++) {
        float[] row = rows[firstRow[l] + j];
        for (int o = 0; o < out; o++) {
          row[o] = (float) src[j < in ? off + o * in + j : off + out * in + o];
        }
      }
    }
  }

  /** Writes these parameters into the scorer's float64 parameters, in its own layout. */
  public void copyTo(Scorer scorer) {
    toScorerLayout(rows, source(scorer));
  }

  /**
   * Writes rows of this network's shape (a gradient) into {@code out} in the scorer's layout.
   *
   * @throws IllegalArgumentException on a length mismatch
   */
  public void toScorerLayout(float[][] values, double[] out) {
    Checks.checkDimension("rows", values.length, rows.length);
    Checks.checkDimension("output", out.length, parameterCount());
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out1 = sizes[l + 1];
      int off = offsets[l];
      for (int j = 0; j <= in; j++) {
        float[] row = values[firstRow[l] + j];
        for (int o = 0; o < out1; o++) {
          out[j < in ? off + o * in + j : off + out1 * in + o] = row[o];
        }
      }
    }
  }

  /**
   * A per-parameter mask in the scorer's layout (a trainable mask), rearranged into rows of this
   * network's shape.
   *
   * @throws IllegalArgumentException on a length mismatch
   */
  public boolean[][] toRows(boolean[] mask) {
    Checks.checkDimension("mask", mask.length, parameterCount());
    boolean[][] out = new boolean[rows.length][];
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out1 = sizes[l + 1];
      int off = offsets[l];
      for (int j = 0; j <= in; j++) {
        boolean[] row = new boolean[out1];
        for (int o = 0; o < out1; o++) {
          row[o] = mask[j < in ? off + o * in + j : off + out1 * in + o];
        }
        out[firstRow[l] + j] = row;
      }
    }
    return out;
  }

  private double[] source(Scorer scorer) {
    if (!(scorer instanceof DenseNetwork dense)
        || !Arrays.equals(dense.spec().layerSizes(), sizes)) {
      throw new IllegalArgumentException("a float32 copy of " + spec + " cannot hold " + scorer);
    }
    dense.requireOutputMajor("a float32 copy");
    return dense.parameters();
  }

  // ------------------------------------------------------------------------------ forward

  /**
   * Scores rows {@code rows[from..from+count)} of a row-major float64 block (rounded to float32)
   * into {@code scoresOut} (row-major, {@code count × outputDim}), recording the batch for {@link
   * #backwardBatch}.
   */
  public void forwardBatch(double[] features, int[] rows, int from, int count, double[] scoresOut) {
    int d = sizes[0];
    checkSlice(rows, from, count, features.length / d, "feature block", scoresOut);
    ensure(count);
    if (x.length < count) {
      x = new float[count][d];
    }
    ensureFeatureMajor(count);
    for (int b = 0; b < count; b++) {
      float[] xb = x[b];
      toFloat(features, rows[from + b] * d, xb);
      inputRows[b] = xb;
    }
    forwardDense(count, scoresOut);
  }

  /**
   * As {@link #forwardBatch(double[], int[], int, int, double[])}, over rows already in float32
   * ({@code features[r]} is row r, {@link #toFloatRows}): a fit that keeps its rows in float32
   * saves the conversion of every batch after the first epoch. The rows are read, never written,
   * and must not change before {@link #backwardBatch}.
   */
  public void forwardBatch(
      float[][] features, int[] rows, int from, int count, double[] scoresOut) {
    int d = sizes[0];
    checkSlice(rows, from, count, features.length, "feature rows", scoresOut);
    ensure(count);
    ensureFeatureMajor(count);
    for (int b = 0; b < count; b++) {
      float[] xb = features[rows[from + b]];
      if (xb.length != d) {
        throw new IllegalArgumentException(
            "feature row "
                + rows[from + b]
                + " has "
                + xb.length
                + " values for "
                + d
                + " features");
      }
      inputRows[b] = xb;
    }
    forwardDense(count, scoresOut);
  }

  /** The forward pass of the dense rows in {@link #inputRows}, through their feature-major copy. */
  private void forwardDense(int count, double[] scoresOut) {
    transpose(inputRows, xt, count, sizes[0]);
    sparseInput = false;
    runFeatureMajor(count, scoresOut);
  }

  /**
   * Converts to float32 (rounded to nearest) those of the rows {@code rows[from, from + count)} of
   * a row-major float64 block of {@code d} features that {@code out} does not hold yet: {@code
   * out[r]} is row r once converted, null before. A fit converts each row the first time a batch
   * reads it, so its first epoch reads the float64 block once, with no separate pass over it, and
   * later epochs read the float32 rows.
   */
  public static void toFloatRows(
      double[] features, int d, int[] rows, int from, int count, float[][] out) {
    if (d <= 0 || features.length != (long) out.length * d) {
      throw new IllegalArgumentException(
          "a block of "
              + features.length
              + " values is not "
              + out.length
              + " rows of "
              + d
              + " features");
    }
    for (int b = from; b < from + count; b++) {
      int r = rows[b];
      if (out[r] == null) {
        float[] row = new float[d];
        toFloat(features, r * d, row);
        out[r] = row;
      }
    }
  }

  /** row[j] = (float) features[src + j] for every j of the row, rounded to nearest. */
  private static void toFloat(double[] features, int src, float[] row) {
    for (int j = 0; j < row.length; j++) {
      row[j] = (float) features[src + j];
    }
  }

  /** As {@link #forwardBatch(double[], int[], int, int, double[])}, over sparse rows. */
  public void forwardBatch(
      SparseRows features, int[] rows, int from, int count, double[] scoresOut) {
    if (features.columns() != sizes[0]) {
      throw new IllegalArgumentException(
          "a sparse block of " + features.columns() + " columns for " + sizes[0] + " features");
    }
    checkSlice(rows, from, count, features.rows(), "sparse block", scoresOut);
    ensure(count);
    if (start.length < count + 1) {
      start = new int[count + 1];
    }
    int nnz = 0;
    for (int b = 0; b < count; b++) {
      int r = rows[from + b];
      nnz += features.start[r + 1] - features.start[r];
    }
    if (column.length < nnz) {
      column = new int[nnz];
      value = new float[nnz];
    }
    int k = 0;
    for (int b = 0; b < count; b++) {
      int r = rows[from + b];
      int lo = features.start[r];
      int hi = features.start[r + 1];
      System.arraycopy(features.column, lo, column, k, hi - lo);
      for (int i = lo; i < hi; i++) {
        value[k++] = (float) features.value[i];
      }
      start[b + 1] = k;
    }
    sparseInput = true;
    run(count, scoresOut);
  }

  /** The forward pass of sparse input rows, batch-major: one array per batch row and layer. */
  private void run(int count, double[] scoresOut) {
    float[][] input = x;
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      float[][] w = weights[l];
      float[] bias = rows[firstRow[l] + in];
      float[][] zl = z[l];
      if (out < NARROW && l > 0) {
        transpose(w, transposed[l], in, out);
      }
      for (int b = 0; b < count; b++) {
        float[] zb = zl[b];
        System.arraycopy(bias, 0, zb, 0, out);
        if (l == 0 && sparseInput && out < NARROW) {
          for (int k = start[b]; k < start[b + 1]; k++) {
            float v = value[k];
            float[] wk = w[column[k]];
            for (int o = 0; o < out; o++) {
              zb[o] = Math.fma(v, wk[o], zb[o]);
            }
          }
        } else if (l == 0 && sparseInput) {
          addRows(column, value, start[b], start[b + 1], w, zb, out);
        } else if (out < NARROW) {
          float[] xb = input[b];
          float[][] wt = transposed[l];
          for (int o = 0; o < out; o++) {
            zb[o] += dot(xb, wt[o], in);
          }
        } else {
          // Hidden activations: the non-zeros only (a ReLU layer's are about half).
          int k = nonZeros(input[b], in);
          addRows(nzIndex, nzValue, 0, k, w, zb, out);
        }
      }
      if (l + 1 < layers) {
        float[][] al = a[l];
        for (int b = 0; b < count; b++) {
          float[] zb = zl[b];
          float[] ab = al[b];
          activate(zb, ab, out);
        }
        input = al;
      }
    }
    int outDim = sizes[layers];
    float[][] s = z[layers - 1];
    for (int b = 0; b < count; b++) {
      float[] sb = s[b];
      for (int o = 0; o < outDim; o++) {
        scoresOut[b * outDim + o] = sb[o];
      }
    }
    n = count;
  }

  /**
   * The forward pass of dense input rows, feature-major: one array per input feature or unit with
   * an entry per batch row, so that every vector loop runs over the batch (128 rows by default)
   * rather than over a layer's outputs (often 64 or fewer), whose short loops the JIT's vector
   * code, with its alignment and remainder iterations, runs at a fraction of its speed. Each unit's
   * pre-activation is its bias plus its inputs' terms in input order, one rounding per term, as in
   * the batch-major pass.
   */
  private void runFeatureMajor(int count, double[] scoresOut) {
    float[][] input = xt;
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      float[][] w = weights[l];
      float[] bias = rows[firstRow[l] + in];
      float[][] zl = zt[l];
      for (int o = 0; o < out; o++) {
        Arrays.fill(zl[o], 0, count, bias[o]);
      }
      int o = 0;
      for (; o + 4 <= out; o += 4) {
        float[] y0 = zl[o];
        float[] y1 = zl[o + 1];
        float[] y2 = zl[o + 2];
        float[] y3 = zl[o + 3];
        int j = 0;
        for (; j + 2 <= in; j += 2) {
          float[] wa = w[j];
          float[] wb = w[j + 1];
          fma4x2(
              wa[o],
              wb[o],
              wa[o + 1],
              wb[o + 1],
              wa[o + 2],
              wb[o + 2],
              wa[o + 3],
              wb[o + 3],
              input[j],
              input[j + 1],
              y0,
              y1,
              y2,
              y3,
              count);
        }
        if (j < in) {
          float[] wa = w[j];
          axpy(wa[o], input[j], y0, count);
          axpy(wa[o + 1], input[j], y1, count);
          axpy(wa[o + 2], input[j], y2, count);
          axpy(wa[o + 3], input[j], y3, count);
        }
      }
      for (; o < out; o++) {
        float[] zo = zl[o];
        int j = 0;
        for (; j + 4 <= in; j += 4) {
          axpy4(
              w[j][o],
              input[j],
              w[j + 1][o],
              input[j + 1],
              w[j + 2][o],
              input[j + 2],
              w[j + 3][o],
              input[j + 3],
              zo,
              count);
        }
        for (; j < in; j++) {
          axpy(w[j][o], input[j], zo, count);
        }
      }
      if (l + 1 < layers) {
        float[][] al = at[l];
        for (int u = 0; u < out; u++) {
          activate(zl[u], al[u], count);
        }
        input = al;
      }
    }
    int outDim = sizes[layers];
    float[][] s = zt[layers - 1];
    for (int o = 0; o < outDim; o++) {
      float[] so = s[o];
      for (int b = 0; b < count; b++) {
        scoresOut[b * outDim + o] = so[b];
      }
    }
    n = count;
  }

  /** a[0, len) = σ(z[0, len)). */
  private void activate(float[] z, float[] a, int len) {
    if (activation == Activation.RELU) {
      for (int i = 0; i < len; i++) {
        a[i] = Math.max(z[i], 0f);
      }
    } else {
      for (int i = 0; i < len; i++) {
        a[i] = (float) activation.apply(z[i]);
      }
    }
  }

  /** d[0, len) *= σ'(z[0, len)), given a = σ(z). */
  private void derivative(float[] d, float[] z, float[] a, int len) {
    if (activation == Activation.RELU) {
      reluMask(d, z, len);
    } else {
      for (int i = 0; i < len; i++) {
        d[i] *= (float) activation.derivative(z[i], a[i]);
      }
    }
  }

  // ------------------------------------------------------------------------------ backward

  /**
   * Adds ∂L/∂θ of the recorded batch to {@code gradAccum} (rows of this network's shape, {@link
   * #newRows}), given ∂L/∂scores (row-major, {@code count × outputDim}, float64, rounded to float32
   * here).
   */
  public void backwardBatch(double[] dLdScores, float[][] gradAccum) {
    if (n < 0) {
      throw new IllegalStateException("backwardBatch needs a forwardBatch pass first");
    }
    Checks.checkDimension("gradient rows", gradAccum.length, rows.length);
    int outDim = sizes[layers];
    if (dLdScores.length < (long) n * outDim) {
      throw new IllegalArgumentException(
          "dL/dscores has length " + dLdScores.length + ", needs " + (long) n * outDim);
    }
    if (!sparseInput) {
      backwardFeatureMajor(dLdScores, gradAccum);
      return;
    }
    float[][] gl = g;
    for (int b = 0; b < n; b++) {
      float[] gb = gl[b];
      for (int o = 0; o < outDim; o++) {
        gb[o] = (float) dLdScores[b * outDim + o];
      }
    }
    float[][] next = delta;
    for (int l = layers - 1; l >= 0; l--) {
      int in = sizes[l];
      int out = sizes[l + 1];
      int first = firstRow[l];
      float[] gBias = gradAccum[first + in];
      for (int b = 0; b < n; b++) {
        float[] gb = gl[b];
        for (int o = 0; o < out; o++) {
          gBias[o] += gb[o];
        }
      }
      if (l == 0 && sparseInput) {
        for (int b = 0; b < n; b++) {
          float[] gb = gl[b];
          for (int k = start[b]; k < start[b + 1]; k++) {
            axpy(value[k], gb, gradAccum[first + column[k]], out);
          }
        }
      } else if (out < NARROW) {
        // Into the transposed scratch, one long row per output, then added to the rows.
        float[][] input = l == 0 ? x : a[l - 1];
        float[][] gt = narrowGradient[l];
        for (float[] row : gt) {
          Arrays.fill(row, 0f);
        }
        for (int b = 0; b < n; b++) {
          float[] xb = input[b];
          float[] gb = gl[b];
          for (int o = 0; o < out; o++) {
            if (gb[o] != 0) {
              axpy(gb[o], xb, gt[o], in);
            }
          }
        }
        for (int j = 0; j < in; j++) {
          float[] gw = gradAccum[first + j];
          for (int o = 0; o < out; o++) {
            gw[o] += gt[o][j];
          }
        }
      } else {
        // ∂L/∂W_l[j, ·] = Σ_b input[b, j] g[b, ·], four batch rows per pass.
        float[][] input = l == 0 ? x : a[l - 1];
        int b = 0;
        for (; b + 4 <= n; b += 4) {
          float[] x0 = input[b];
          float[] x1 = input[b + 1];
          float[] x2 = input[b + 2];
          float[] x3 = input[b + 3];
          float[] g0 = gl[b];
          float[] g1 = gl[b + 1];
          float[] g2 = gl[b + 2];
          float[] g3 = gl[b + 3];
          for (int j = 0; j < in; j++) {
            axpy4(x0[j], g0, x1[j], g1, x2[j], g2, x3[j], g3, gradAccum[first + j], out);
          }
        }
        for (; b < n; b++) {
          float[] xb = input[b];
          for (int j = 0; j < in; j++) {
            if (xb[j] != 0) {
              axpy(xb[j], gl[b], gradAccum[first + j], out);
            }
          }
        }
      }
      if (l > 0) {
        // δ_{l−1}[b, ·] = (Σ_o g[b, o] W_l[·, o]) ⊙ σ'(z_{l−1}[b, ·]), over W_l's transpose.
        float[][] wt = transposed[l];
        transpose(weights[l], wt, in, out);
        float[][] zl = z[l - 1];
        float[][] al = a[l - 1];
        for (int b = 0; b < n; b++) {
          float[] db = next[b];
          Arrays.fill(db, 0, in, 0f);
          int k = nonZeros(gl[b], out);
          addRows(nzIndex, nzValue, 0, k, wt, db, in);
          float[] zb = zl[b];
          derivative(db, zb, al[b], in);
        }
        float[][] t = gl;
        gl = next;
        next = t;
      }
    }
  }

  /**
   * The backward pass of {@link #runFeatureMajor}. A layer's weight gradient is computed
   * output-major, ∂L/∂W_l[·, o] = Σ_b δ[o, b] · input_b over the batch rows with δ[o, b] ≠ 0, whole
   * input rows (batch-major: the rows themselves for the first layer, the transposed activations
   * for a hidden one) into a scratch of one row of {@code in} entries per output, then added to the
   * gradient's rows; δ for the layer below is Σ_o W_l[j, o] δ[o, ·] ⊙ σ'(z_{l−1}[j, ·]) per unit j.
   */
  private void backwardFeatureMajor(double[] dLdScores, float[][] gradAccum) {
    int outDim = sizes[layers];
    float[][] gl = gt;
    for (int o = 0; o < outDim; o++) {
      float[] go = gl[o];
      for (int b = 0; b < n; b++) {
        go[b] = (float) dLdScores[b * outDim + o];
      }
    }
    float[][] next = dt;
    for (int l = layers - 1; l >= 0; l--) {
      int in = sizes[l];
      int out = sizes[l + 1];
      int first = firstRow[l];
      float[] gBias = gradAccum[first + in];
      for (int o = 0; o < out; o++) {
        gBias[o] += sum(gl[o], n);
      }
      float[][] input = inputRows;
      if (l > 0) {
        input = a[l - 1];
        transpose(at[l - 1], input, in, n);
      }
      float[][] gw = gradT[l];
      for (int o = 0; o < out; o++) {
        float[] gwo = gw[o];
        Arrays.fill(gwo, 0, in, 0f);
        int k = nonZeros(gl[o], n);
        addRows(nzIndex, nzValue, 0, k, input, gwo, in);
      }
      addTransposed(gw, gradAccum, first, in, out);
      if (l > 0) {
        float[][] w = weights[l];
        float[][] zl = zt[l - 1];
        float[][] al = at[l - 1];
        for (int j = 0; j < in; j++) {
          float[] dj = next[j];
          Arrays.fill(dj, 0, n, 0f);
          float[] wj = w[j];
          int o = 0;
          for (; o + 4 <= out; o += 4) {
            axpy4(
                wj[o], gl[o], wj[o + 1], gl[o + 1], wj[o + 2], gl[o + 2], wj[o + 3], gl[o + 3], dj,
                n);
          }
          for (; o < out; o++) {
            axpy(wj[o], gl[o], dj, n);
          }
          float[] zj = zl[j];
          derivative(dj, zj, al[j], n);
        }
        float[][] t = gl;
        gl = next;
        next = t;
      }
    }
  }

  /**
   * Adds the L2 penalty's gradient λ W to the weight rows of {@code gradAccum} and returns the
   * penalty ½ λ ‖W‖² (in float64), as the scorer's own {@link Scorer#penalty}.
   */
  public double penalty(float[][] gradAccum) {
    if (l2 == 0) {
      return 0;
    }
    double sum = 0;
    for (int l = 0; l < layers; l++) {
      for (int j = 0; j < sizes[l]; j++) {
        float[] w = rows[firstRow[l] + j];
        float[] gw = gradAccum[firstRow[l] + j];
        float s = 0;
        for (int o = 0; o < w.length; o++) {
          s += w[o] * w[o];
          gw[o] += l2 * w[o];
        }
        sum += s;
      }
    }
    return 0.5 * spec.l2() * sum;
  }

  // ------------------------------------------------------------------------------ kernels

  /** Writes the non-zero entries of v[0, len) into the scratch nzIndex / nzValue; their count. */
  private int nonZeros(float[] v, int len) {
    int k = 0;
    for (int j = 0; j < len; j++) {
      // Written unconditionally and kept by advancing k: no branch to mispredict on ReLU's zeros.
      float vj = v[j];
      nzIndex[k] = j;
      nzValue[k] = vj;
      k += vj != 0 ? 1 : 0;
    }
    return k;
  }

  /** y += Σ_k value[k] · w[index[k]] over k in [from, to), four rows per pass. */
  private static void addRows(
      int[] index, float[] value, int from, int to, float[][] w, float[] y, int len) {
    int k = from;
    for (; k + 4 <= to; k += 4) {
      axpy4(
          value[k],
          w[index[k]],
          value[k + 1],
          w[index[k + 1]],
          value[k + 2],
          w[index[k + 2]],
          value[k + 3],
          w[index[k + 3]],
          y,
          len);
    }
    for (; k < to; k++) {
      axpy(value[k], w[index[k]], y, len);
    }
  }

  /**
   * d[i] = z[i] > 0 ? d[i] : 0 over [0, len) (ReLU's derivative), without a branch: the sign bit
   * and the zero test of z's bits make a mask (a branch on ReLU's random signs mispredicts every
   * other time). A NaN z with its sign bit clear keeps d, where the comparison would give 0.
   */
  private static void reluMask(float[] d, float[] z, int len) {
    for (int i = 0; i < len; i++) {
      int bits = Float.floatToRawIntBits(z[i]);
      int keep = ~((bits - 1) >> 31) & ~(bits >> 31);
      d[i] = Float.intBitsToFloat(Float.floatToRawIntBits(d[i]) & keep);
    }
  }

  /** y[first + j][o] += t[o][j] for j < in, o < out; eight rows of y per pass. */
  private static void addTransposed(float[][] t, float[][] y, int first, int in, int out) {
    int j = 0;
    for (; j + 8 <= in; j += 8) {
      float[] y0 = y[first + j];
      float[] y1 = y[first + j + 1];
      float[] y2 = y[first + j + 2];
      float[] y3 = y[first + j + 3];
      float[] y4 = y[first + j + 4];
      float[] y5 = y[first + j + 5];
      float[] y6 = y[first + j + 6];
      float[] y7 = y[first + j + 7];
      for (int o = 0; o < out; o++) {
        float[] to = t[o];
        y0[o] += to[j];
        y1[o] += to[j + 1];
        y2[o] += to[j + 2];
        y3[o] += to[j + 3];
        y4[o] += to[j + 4];
        y5[o] += to[j + 5];
        y6[o] += to[j + 6];
        y7[o] += to[j + 7];
      }
    }
    for (; j < in; j++) {
      float[] yj = y[first + j];
      for (int o = 0; o < out; o++) {
        yj[o] += t[o][j];
      }
    }
  }

  /** wt[o][j] = w[j][o], eight rows of w per pass (eight adjacent entries of each row of wt). */
  private static void transpose(float[][] w, float[][] wt, int in, int out) {
    int j = 0;
    for (; j + 8 <= in; j += 8) {
      float[] w0 = w[j];
      float[] w1 = w[j + 1];
      float[] w2 = w[j + 2];
      float[] w3 = w[j + 3];
      float[] w4 = w[j + 4];
      float[] w5 = w[j + 5];
      float[] w6 = w[j + 6];
      float[] w7 = w[j + 7];
      for (int o = 0; o < out; o++) {
        float[] t = wt[o];
        t[j + 7] = w7[o];
        t[j] = w0[o];
        t[j + 1] = w1[o];
        t[j + 2] = w2[o];
        t[j + 3] = w3[o];
        t[j + 4] = w4[o];
        t[j + 5] = w5[o];
        t[j + 6] = w6[o];
      }
    }
    for (; j < in; j++) {
      float[] wj = w[j];
      for (int o = 0; o < out; o++) {
        wt[o][j] = wj[o];
      }
    }
  }

  /**
   * Σ_i x[i] y[i] over [0, len), eight partial sums (a fused multiply-add's latency is about four
   * cycles and two issue per cycle).
   */
  private static float dot(float[] x, float[] y, int len) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      s0 = Math.fma(x[i], y[i], s0);
      s1 = Math.fma(x[i + 1], y[i + 1], s1);
      s2 = Math.fma(x[i + 2], y[i + 2], s2);
      s3 = Math.fma(x[i + 3], y[i + 3], s3);
      s4 = Math.fma(x[i + 4], y[i + 4], s4);
      s5 = Math.fma(x[i + 5], y[i + 5], s5);
      s6 = Math.fma(x[i + 6], y[i + 6], s6);
      s7 = Math.fma(x[i + 7], y[i + 7], s7);
    }
    for (; i < len; i++) {
      s0 = Math.fma(x[i], y[i], s0);
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** Σ_i v[i] over [0, len), eight partial sums. */
  private static float sum(float[] v, int len) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      s0 += v[i];
      s1 += v[i + 1];
      s2 += v[i + 2];
      s3 += v[i + 3];
      s4 += v[i + 4];
      s5 += v[i + 5];
      s6 += v[i + 6];
      s7 += v[i + 7];
    }
    for (; i < len; i++) {
      s0 += v[i];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** y[0, len) += s · x[0, len). */
  private static void axpy(float s, float[] x, float[] y, int len) {
    for (int i = 0; i < len; i++) {
      y[i] = Math.fma(s, x[i], y[i]);
    }
  }

  /**
   * y0[0, len) += a0 x0 + b0 x1, y1 += a1 x0 + b1 x1, y2 += a2 x0 + b2 x1 and y3 += a3 x0 + b3 x1,
   * each added in that order with one rounding per term (as two {@link #axpy} calls per output):
   * four outputs share each load of the two inputs, which halves the inputs' reads from cache (1.5×
   * the multiply-adds per second of {@link #axpy4} over a 128 × 256 × 64 forward pass).
   */
  private static void fma4x2(
      float a0,
      float b0,
      float a1,
      float b1,
      float a2,
      float b2,
      float a3,
      float b3,
      float[] x0,
      float[] x1,
      float[] y0,
      float[] y1,
      float[] y2,
      float[] y3,
      int len) {
    for (int i = 0; i < len; i++) {
      float u = x0[i];
      float v = x1[i];
      y0[i] = Math.fma(b0, v, Math.fma(a0, u, y0[i]));
      y1[i] = Math.fma(b1, v, Math.fma(a1, u, y1[i]));
      y2[i] = Math.fma(b2, v, Math.fma(a2, u, y2[i]));
      y3[i] = Math.fma(b3, v, Math.fma(a3, u, y3[i]));
    }
  }

  /** y[0, len) += s0 x0 + s1 x1 + s2 x2 + s3 x3, added in that order, one rounding per term. */
  private static void axpy4(
      float s0,
      float[] x0,
      float s1,
      float[] x1,
      float s2,
      float[] x2,
      float s3,
      float[] x3,
      float[] y,
      int len) {
    for (int i = 0; i < len; i++) {
      y[i] =
          Math.fma(s3, x3[i], Math.fma(s2, x2[i], Math.fma(s1, x1[i], Math.fma(s0, x0[i], y[i]))));
    }
  }

  private void ensure(int count) {
    if (count <= capacity) {
      return;
    }
    capacity = count;
    int widest = 0;
    for (int l = 0; l < layers; l++) {
      z[l] = new float[count][sizes[l + 1]];
      if (l + 1 < layers) {
        a[l] = new float[count][sizes[l + 1]];
      }
      widest = Math.max(widest, sizes[l + 1]);
    }
    g = new float[count][widest];
    delta = new float[count][widest];
    n = -1;
  }

  private void ensureFeatureMajor(int count) {
    if (count <= featureMajorCapacity) {
      return;
    }
    featureMajorCapacity = count;
    xt = new float[sizes[0]][count];
    inputRows = new float[count][];
    zt = new float[layers][][];
    at = new float[layers][][];
    gradT = new float[layers][][];
    int widest = 0;
    for (int l = 0; l < layers; l++) {
      zt[l] = new float[sizes[l + 1]][count];
      if (l + 1 < layers) {
        at[l] = new float[sizes[l + 1]][count];
      }
      gradT[l] = new float[sizes[l + 1]][sizes[l]];
      widest = Math.max(widest, sizes[l + 1]);
    }
    gt = new float[widest][count];
    dt = new float[widest][count];
    if (nzIndex.length < count) {
      nzIndex = new int[count];
      nzValue = new float[count];
    }
    n = -1;
  }

  /** The slice and its rows lie in the index array and the block; the scores fit. */
  private void checkSlice(
      int[] rows, int from, int count, long available, String block, double[] scoresOut) {
    DenseNetwork.checkSlice(rows, from, count);
    DenseNetwork.checkRows(rows, from, count, available, block);
    DenseNetwork.checkAtLeast("scores", scoresOut.length, (long) count * sizes[layers]);
  }

  @Override
  public String toString() {
    return "float32 copy of " + spec;
  }
}
