package org.defer4j.core.model;

import java.util.Arrays;

/**
 * The dense-layer kernels behind {@link LinearScorer} and {@link MlpScorer}, in plain Java.
 *
 * <p>A layer maps {@code in} inputs to {@code out} outputs with weights W (out × in, row-major in
 * the flat parameter vector p at offset w) and bias b (p at {@code w + out·in}).
 *
 * <p>Why the batch kernels work on arrays of rows ({@code double[][]}) rather than on flat blocks:
 * HotSpot C2 on JDK 17 only auto-vectorizes a loop whose array references are all indexed by the
 * bare loop variable; a flat block read at {@code offset + j} for several offsets stays scalar.
 * Measured on the build machine (AVX-512, d = 1024, 64 outputs, 128 rows): the weight-gradient
 * update ran at 7–8 GFLOP/s on flat arrays and 20–25 GFLOP/s on row arrays (35 with ReLU's zero
 * rows skipped); the forward product at 11 GFLOP/s as a scalar 4 × 4 register tile and 20 GFLOP/s
 * vectorized over the outputs of a transposed weight copy. Copying the batch's rows and the weights
 * into row arrays costs a few percent of the products. Narrow layers (the A ≈ 6 scores of a linear
 * scorer) keep the scalar tile, which has nothing to vectorize over. The vectorized kernels over
 * row arrays ({@link #forwardWide}, {@link #accumulateDense}, {@link #accumulateSparse}, {@link
 * #backInput}) add each term with {@code Math.fma}, which C2 turns into vector FMA instructions
 * (one rounding per term instead of two): on an Intel Xeon with AVX-512 the forward product of 128
 * rows × 256 inputs × 64 outputs took 191–195 µs with it against 229–237 µs with a multiply and an
 * add (21–22 against 18 GFLOP/s), and a dense MLP(64) fit over 256 features ran 6 % faster (medians
 * of 4 alternating runs on the idle machine; docs/benchmarks.md, run D); an earlier measurement on
 * another build machine had found no gain. The kernels over flat arrays and sparse rows keep a
 * multiply and an add (there {@code Math.fma} was not faster). Plain loops were preferred to a
 * linear-algebra library, which would add a dependency for the same C2 code; the JDK's incubating
 * Vector API was not used because it makes every compilation against it warn.
 *
 * <p>The batch kernels take a range of rows, columns or outputs so that {@link Parallel} can split
 * them; each output entry always receives its terms in the same order.
 */
final class Dense {
  /** Layers with at least this many outputs use the vectorized forward kernel. */
  static final int WIDE = 16;

  /** Input-dimension block of the forward kernel: keeps 32 transposed weight rows in L1. */
  private static final int FORWARD_BLOCK = 32;

  /** Input-dimension block of the gradient kernel: keeps the rows' slices in L1/L2. */
  private static final int GRADIENT_BLOCK = 256;

  private Dense() {}

  // ---------------------------------------------------------------- one row, flat arrays

  /** c[cOff + o] = Σ_j x[xOff + j] · W[o][j] + b[o], for o < out. */
  static void forwardRow(
      double[] x, int xOff, int in, double[] p, int w, int out, double[] c, int cOff) {
    int bias = w + out * in;
    int o = 0;
    // Four outputs at a time: four independent accumulation chains share each load of x.
    for (; o + 4 <= out; o += 4) {
      int w0 = w + o * in;
      int w1 = w0 + in;
      int w2 = w1 + in;
      int w3 = w2 + in;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int j = 0; j < in; j++) {
        double v = x[xOff + j];
        s0 += v * p[w0 + j];
        s1 += v * p[w1 + j];
        s2 += v * p[w2 + j];
        s3 += v * p[w3 + j];
      }
      c[cOff + o] = s0 + p[bias + o];
      c[cOff + o + 1] = s1 + p[bias + o + 1];
      c[cOff + o + 2] = s2 + p[bias + o + 2];
      c[cOff + o + 3] = s3 + p[bias + o + 3];
    }
    for (; o < out; o++) {
      int w0 = w + o * in;
      double s = 0;
      for (int j = 0; j < in; j++) {
        s += x[xOff + j] * p[w0 + j];
      }
      c[cOff + o] = s + p[bias + o];
    }
  }

  /** gp[W[o][j]] += g[o] · x[j] and gp[b[o]] += g[o]. */
  static void accumulateRow(double[] x, int in, double[] g, int out, double[] gp, int w) {
    int bias = w + out * in;
    for (int o = 0; o < out; o++) {
      double go = g[o];
      if (go == 0) {
        continue;
      }
      int wo = w + o * in;
      for (int j = 0; j < in; j++) {
        gp[wo + j] += go * x[j];
      }
      gp[bias + o] += go;
    }
  }

  /** da[j] = Σ_o g[o] · W[o][j], for j < in (overwritten). */
  static void backInputRow(double[] g, int out, double[] p, int w, int in, double[] da) {
    Arrays.fill(da, 0, in, 0);
    for (int o = 0; o < out; o++) {
      double go = g[o];
      if (go == 0) {
        continue;
      }
      int wo = w + o * in;
      for (int j = 0; j < in; j++) {
        da[j] += go * p[wo + j];
      }
    }
  }

  // ---------------------------------------------------------------- n rows, row arrays

  /**
   * c[b][o] = Σ_j x[b][j] · W[o][j] + b[o] for rows b in [from, to), by scalar 4-row × 4-output
   * register tiles (for narrow layers). Every sum runs over j in order, so the result of a row does
   * not depend on the range it was computed in.
   */
  static void forwardNarrow(
      int from, int to, double[][] x, int in, double[] p, int w, int out, double[][] c) {
    int bias = w + out * in;
    int b = from;
    for (; b + 4 <= to; b += 4) {
      double[] x0 = x[b];
      double[] x1 = x[b + 1];
      double[] x2 = x[b + 2];
      double[] x3 = x[b + 3];
      double[] c0 = c[b];
      double[] c1 = c[b + 1];
      double[] c2 = c[b + 2];
      double[] c3 = c[b + 3];
      int o = 0;
      for (; o + 4 <= out; o += 4) {
        int w0 = w + o * in;
        int w1 = w0 + in;
        int w2 = w1 + in;
        int w3 = w2 + in;
        double s00 = 0;
        double s01 = 0;
        double s02 = 0;
        double s03 = 0;
        double s10 = 0;
        double s11 = 0;
        double s12 = 0;
        double s13 = 0;
        double s20 = 0;
        double s21 = 0;
        double s22 = 0;
        double s23 = 0;
        double s30 = 0;
        double s31 = 0;
        double s32 = 0;
        double s33 = 0;
        for (int j = 0; j < in; j++) {
          double u0 = x0[j];
          double u1 = x1[j];
          double u2 = x2[j];
          double u3 = x3[j];
          double v0 = p[w0 + j];
          double v1 = p[w1 + j];
          double v2 = p[w2 + j];
          double v3 = p[w3 + j];
          s00 += u0 * v0;
          s01 += u0 * v1;
          s02 += u0 * v2;
          s03 += u0 * v3;
          s10 += u1 * v0;
          s11 += u1 * v1;
          s12 += u1 * v2;
          s13 += u1 * v3;
          s20 += u2 * v0;
          s21 += u2 * v1;
          s22 += u2 * v2;
          s23 += u2 * v3;
          s30 += u3 * v0;
          s31 += u3 * v1;
          s32 += u3 * v2;
          s33 += u3 * v3;
        }
        double b0 = p[bias + o];
        double b1 = p[bias + o + 1];
        double b2 = p[bias + o + 2];
        double b3 = p[bias + o + 3];
        c0[o] = s00 + b0;
        c0[o + 1] = s01 + b1;
        c0[o + 2] = s02 + b2;
        c0[o + 3] = s03 + b3;
        c1[o] = s10 + b0;
        c1[o + 1] = s11 + b1;
        c1[o + 2] = s12 + b2;
        c1[o + 3] = s13 + b3;
        c2[o] = s20 + b0;
        c2[o + 1] = s21 + b1;
        c2[o + 2] = s22 + b2;
        c2[o + 3] = s23 + b3;
        c3[o] = s30 + b0;
        c3[o + 1] = s31 + b1;
        c3[o + 2] = s32 + b2;
        c3[o + 3] = s33 + b3;
      }
      for (; o < out; o++) {
        int w0 = w + o * in;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int j = 0; j < in; j++) {
          double v = p[w0 + j];
          s0 += x0[j] * v;
          s1 += x1[j] * v;
          s2 += x2[j] * v;
          s3 += x3[j] * v;
        }
        double bo = p[bias + o];
        c0[o] = s0 + bo;
        c1[o] = s1 + bo;
        c2[o] = s2 + bo;
        c3[o] = s3 + bo;
      }
    }
    for (; b < to; b++) {
      forwardRow(x[b], 0, in, p, w, out, c[b], 0);
    }
  }

  /** wt[j][o] = W[o][j] for j in [from, to): the transposed weights {@link #forwardWide} reads. */
  static void transpose(int from, int to, double[] p, int w, int out, int in, double[][] wt) {
    final int tile = 16;
    for (int j0 = from; j0 < to; j0 += tile) {
      int j1 = Math.min(to, j0 + tile);
      for (int o = 0; o < out; o++) {
        int wo = w + o * in;
        for (int j = j0; j < j1; j++) {
          wt[j][o] = p[wo + j];
        }
      }
    }
  }

  /** wr[o][j] = W[o][j]: the weights as row arrays, read by {@link #backInput}. */
  static void rows(double[] p, int w, int out, int in, double[][] wr) {
    for (int o = 0; o < out; o++) {
      System.arraycopy(p, w + o * in, wr[o], 0, in);
    }
  }

  /**
   * c[b][o] = Σ_j x[b][j] · wt[j][o] + b[o] for rows b in [from, to), vectorized over the outputs
   * (for wide layers); {@code wt} from {@link #transpose}. Rows are independent. Each sum starts at
   * 0 and takes its terms in increasing j, each with one rounding ({@code Math.fma}); the bias is
   * added last.
   */
  static void forwardWide(
      int from,
      int to,
      double[][] x,
      int in,
      double[][] wt,
      double[] p,
      int bias,
      int out,
      double[][] c) {
    for (int b = from; b < to; b++) {
      Arrays.fill(c[b], 0, out, 0);
    }
    for (int j0 = 0; j0 < in; j0 += FORWARD_BLOCK) {
      int j1 = Math.min(in, j0 + FORWARD_BLOCK);
      for (int b = from; b < to; b++) {
        double[] cb = c[b];
        double[] xb = x[b];
        int j = j0;
        for (; j + 4 <= j1; j += 4) {
          double u0 = xb[j];
          double u1 = xb[j + 1];
          double u2 = xb[j + 2];
          double u3 = xb[j + 3];
          double[] t0 = wt[j];
          double[] t1 = wt[j + 1];
          double[] t2 = wt[j + 2];
          double[] t3 = wt[j + 3];
          for (int o = 0; o < out; o++) {
            cb[o] =
                Math.fma(
                    u3,
                    t3[o],
                    Math.fma(u2, t2[o], Math.fma(u1, t1[o], Math.fma(u0, t0[o], cb[o]))));
          }
        }
        for (; j < j1; j++) {
          double u = xb[j];
          double[] t = wt[j];
          for (int o = 0; o < out; o++) {
            cb[o] = Math.fma(u, t[o], cb[o]);
          }
        }
      }
    }
    for (int b = from; b < to; b++) {
      double[] cb = c[b];
      for (int o = 0; o < out; o++) {
        cb[o] += p[bias + o];
      }
    }
  }

  /**
   * gb[o] += Σ_b g[b][o] for b &lt; n; returns whether the weight gradient should take the sparse
   * kernel: when at least a quarter of the g[b][o] are zero (ReLU's inactive units), skipping them
   * pays for the bookkeeping.
   */
  static boolean accumulateBias(int n, double[][] g, int out, double[] gb) {
    int zeros = 0;
    for (int b = 0; b < n; b++) {
      double[] gr = g[b];
      for (int o = 0; o < out; o++) {
        double v = gr[o];
        gb[o] += v;
        if (v == 0) {
          zeros++;
        }
      }
    }
    return 4L * zeros >= (long) n * out;
  }

  /**
   * gw[o][j] += Σ_b g[b][o] · x[b][j] over all n rows, for columns j in [from, to), vectorized over
   * j. Each entry receives its terms in increasing b, each with one rounding ({@code Math.fma}),
   * whatever the column range.
   */
  static void accumulateDense(
      int from, int to, int n, double[][] x, double[][] g, int out, double[][] gw) {
    for (int j0 = from; j0 < to; j0 += GRADIENT_BLOCK) {
      int j1 = Math.min(to, j0 + GRADIENT_BLOCK);
      int b = 0;
      for (; b + 4 <= n; b += 4) {
        double[] x0 = x[b];
        double[] x1 = x[b + 1];
        double[] x2 = x[b + 2];
        double[] x3 = x[b + 3];
        double[] g0 = g[b];
        double[] g1 = g[b + 1];
        double[] g2 = g[b + 2];
        double[] g3 = g[b + 3];
        for (int o = 0; o < out; o++) {
          double[] r = gw[o];
          double a0 = g0[o];
          double a1 = g1[o];
          double a2 = g2[o];
          double a3 = g3[o];
          for (int j = j0; j < j1; j++) {
            r[j] =
                Math.fma(
                    a3, x3[j], Math.fma(a2, x2[j], Math.fma(a1, x1[j], Math.fma(a0, x0[j], r[j]))));
          }
        }
      }
      for (; b < n; b++) {
        double[] x0 = x[b];
        double[] g0 = g[b];
        for (int o = 0; o < out; o++) {
          double[] r = gw[o];
          double a0 = g0[o];
          for (int j = j0; j < j1; j++) {
            r[j] = Math.fma(a0, x0[j], r[j]);
          }
        }
      }
    }
  }

  /**
   * gw[o][j] += Σ_{b : g[b][o] ≠ 0} g[b][o] · x[b][j] for outputs o in [from, to), skipping the
   * zero terms; vectorized over j. The terms come in increasing b, each with one rounding ({@code
   * Math.fma}), as in {@link #accumulateDense} less the zero terms.
   *
   * @param nonZero scratch of at least n ints, owned by the caller's thread
   */
  static void accumulateSparse(
      int from, int to, int n, double[][] x, int in, double[][] g, double[][] gw, int[] nonZero) {
    for (int o = from; o < to; o++) {
      int count = 0;
      for (int b = 0; b < n; b++) {
        if (g[b][o] != 0) {
          nonZero[count++] = b;
        }
      }
      double[] r = gw[o];
      for (int j0 = 0; j0 < in; j0 += GRADIENT_BLOCK) {
        int j1 = Math.min(in, j0 + GRADIENT_BLOCK);
        int k = 0;
        for (; k + 4 <= count; k += 4) {
          int b0 = nonZero[k];
          int b1 = nonZero[k + 1];
          int b2 = nonZero[k + 2];
          int b3 = nonZero[k + 3];
          double[] x0 = x[b0];
          double[] x1 = x[b1];
          double[] x2 = x[b2];
          double[] x3 = x[b3];
          double a0 = g[b0][o];
          double a1 = g[b1][o];
          double a2 = g[b2][o];
          double a3 = g[b3][o];
          for (int j = j0; j < j1; j++) {
            r[j] =
                Math.fma(
                    a3, x3[j], Math.fma(a2, x2[j], Math.fma(a1, x1[j], Math.fma(a0, x0[j], r[j]))));
          }
        }
        for (; k < count; k++) {
          int b0 = nonZero[k];
          double[] x0 = x[b0];
          double a0 = g[b0][o];
          for (int j = j0; j < j1; j++) {
            r[j] = Math.fma(a0, x0[j], r[j]);
          }
        }
      }
    }
  }

  /**
   * da[b][j] = Σ_o g[b][o] · wr[o][j] for rows b in [from, to) (overwritten), vectorized over j;
   * the terms come in increasing o, each with one rounding ({@code Math.fma}).
   */
  static void backInput(
      int from, int to, double[][] g, int out, double[][] wr, int in, double[][] da) {
    for (int b = from; b < to; b++) {
      double[] d = da[b];
      double[] gr = g[b];
      Arrays.fill(d, 0, in, 0);
      int o = 0;
      for (; o + 4 <= out; o += 4) {
        double a0 = gr[o];
        double a1 = gr[o + 1];
        double a2 = gr[o + 2];
        double a3 = gr[o + 3];
        double[] r0 = wr[o];
        double[] r1 = wr[o + 1];
        double[] r2 = wr[o + 2];
        double[] r3 = wr[o + 3];
        for (int j = 0; j < in; j++) {
          d[j] =
              Math.fma(
                  a3, r3[j], Math.fma(a2, r2[j], Math.fma(a1, r1[j], Math.fma(a0, r0[j], d[j]))));
        }
      }
      for (; o < out; o++) {
        double a0 = gr[o];
        double[] r0 = wr[o];
        for (int j = 0; j < in; j++) {
          d[j] = Math.fma(a0, r0[j], d[j]);
        }
      }
    }
  }

  // ---------------------------------------------------------------- sparse inputs
  //
  // forwardSparse and accumulateSparseInput walk the same way (four outputs at a time, the batch
  // rows, each row's non-zeros) but one gathers a dot product and the other scatters into the
  // gradient. They stay two kernels: one loop with the operation passed in would put a call in the
  // innermost loop. What they share, the split over outputs, is DenseNetwork.splitSparse; so do
  // their feature-major twins further down, which a minibatch fit over sparse rows uses.

  /**
   * c[b][o] = Σ_k val[k] · W[o][col[k]] + b[o] over the non-zeros k ∈ [start[b], start[b+1]) of
   * each batch row b &lt; n, for outputs o in [from, to). Four outputs share each non-zero's column
   * and value; the terms of a sum come in increasing column order, as in {@link #forwardRow} less
   * the zero terms.
   */
  static void forwardSparse(
      int from,
      int to,
      int n,
      int[] start,
      int[] col,
      double[] val,
      double[] p,
      int w,
      int in,
      int out,
      double[][] c) {
    int bias = w + out * in;
    int o = from;
    for (; o + 4 <= to; o += 4) {
      int w0 = w + o * in;
      int w1 = w0 + in;
      int w2 = w1 + in;
      int w3 = w2 + in;
      double b0 = p[bias + o];
      double b1 = p[bias + o + 1];
      double b2 = p[bias + o + 2];
      double b3 = p[bias + o + 3];
      for (int b = 0; b < n; b++) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int k = start[b], end = start[b + 1]; k < end; k++) {
          int j = col[k];
          double v = val[k];
          s0 += v * p[w0 + j];
          s1 += v * p[w1 + j];
          s2 += v * p[w2 + j];
          s3 += v * p[w3 + j];
        }
        double[] cb = c[b];
        cb[o] = s0 + b0;
        cb[o + 1] = s1 + b1;
        cb[o + 2] = s2 + b2;
        cb[o + 3] = s3 + b3;
      }
    }
    for (; o < to; o++) {
      int w0 = w + o * in;
      double b0 = p[bias + o];
      for (int b = 0; b < n; b++) {
        double s0 = 0;
        for (int k = start[b], end = start[b + 1]; k < end; k++) {
          s0 += val[k] * p[w0 + col[k]];
        }
        c[b][o] = s0 + b0;
      }
    }
  }

  /**
   * gp[W[o][col[k]]] += g[b][o] · val[k] over the non-zeros k of every batch row b &lt; n, for
   * outputs o in [from, to): the weight gradient of a layer with sparse inputs, written straight
   * into the flat gradient (only the columns a row touches change). Each entry receives its terms
   * in batch order whatever the output range; a row whose four gradient entries are all zero
   * (ReLU's inactive units) is skipped.
   */
  static void accumulateSparseInput(
      int from,
      int to,
      int n,
      int[] start,
      int[] col,
      double[] val,
      double[][] g,
      double[] gp,
      int w,
      int in) {
    int o = from;
    for (; o + 4 <= to; o += 4) {
      int w0 = w + o * in;
      int w1 = w0 + in;
      int w2 = w1 + in;
      int w3 = w2 + in;
      for (int b = 0; b < n; b++) {
        double[] gb = g[b];
        double a0 = gb[o];
        double a1 = gb[o + 1];
        double a2 = gb[o + 2];
        double a3 = gb[o + 3];
        if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) {
          continue;
        }
        for (int k = start[b], end = start[b + 1]; k < end; k++) {
          int j = col[k];
          double v = val[k];
          gp[w0 + j] += a0 * v;
          gp[w1 + j] += a1 * v;
          gp[w2 + j] += a2 * v;
          gp[w3 + j] += a3 * v;
        }
      }
    }
    for (; o < to; o++) {
      int w0 = w + o * in;
      for (int b = 0; b < n; b++) {
        double a0 = g[b][o];
        if (a0 == 0) {
          continue;
        }
        for (int k = start[b], end = start[b + 1]; k < end; k++) {
          gp[w0 + col[k]] += a0 * val[k];
        }
      }
    }
  }

  // ------------------------------------------- sparse inputs, feature-major weights

  /**
   * As {@link #forwardSparse}, with the layer's weights stored feature-major: W[o][j] at {@code p[w
   * + j·out + o]} (the bias still at {@code p[w + out·in + o]}). Each non-zero's {@code to − from}
   * weights are contiguous, so the inner loop is a vectorisable axpy instead of a gather per
   * output; the terms of every sum come in the same order as in {@link #forwardSparse}, so the
   * scores are bit-identical. {@code acc} is scratch of at least {@code to} entries.
   */
  static void forwardSparseFeatureMajor(
      int from,
      int to,
      int n,
      int[] start,
      int[] col,
      double[] val,
      double[] p,
      int w,
      int in,
      int out,
      double[][] c,
      double[] acc) {
    int bias = w + out * in;
    for (int b = 0; b < n; b++) {
      Arrays.fill(acc, from, to, 0.0);
      for (int k = start[b], end = start[b + 1]; k < end; k++) {
        int base = w + col[k] * out;
        double v = val[k];
        for (int o = from; o < to; o++) {
          acc[o] += v * p[base + o];
        }
      }
      double[] cb = c[b];
      for (int o = from; o < to; o++) {
        cb[o] = acc[o] + p[bias + o];
      }
    }
  }

  /**
   * As {@link #accumulateSparseInput}, into a weight gradient stored feature-major (W[o][j] at
   * {@code gp[w + j·out + o]}). Each entry receives its terms in batch order, then non-zero order,
   * as there, so the gradient is bit-identical (a zero term leaves a sum that started at +0
   * unchanged); a row whose gradient entries in [from, to) are all zero is skipped.
   */
  static void accumulateSparseInputFeatureMajor(
      int from,
      int to,
      int n,
      int[] start,
      int[] col,
      double[] val,
      double[][] g,
      double[] gp,
      int w,
      int out) {
    for (int b = 0; b < n; b++) {
      double[] gb = g[b];
      boolean zero = true;
      for (int o = from; o < to && zero; o++) {
        zero = gb[o] == 0;
      }
      if (zero) {
        continue;
      }
      for (int k = start[b], end = start[b + 1]; k < end; k++) {
        int base = w + col[k] * out;
        double v = val[k];
        for (int o = from; o < to; o++) {
          gp[base + o] += gb[o] * v;
        }
      }
    }
  }

  /**
   * Reorders the {@code out × in} weight block at {@code p[w]} from output-major (W[o][j] at {@code
   * w + o·in + j}) to feature-major ({@code w + j·out + o}), or back when {@code toFeatureMajor} is
   * false, through {@code scratch} of at least {@code out·in} entries.
   */
  static void reorderWeights(
      double[] p, int w, int in, int out, boolean toFeatureMajor, double[] scratch) {
    int size = out * in;
    System.arraycopy(p, w, scratch, 0, size);
    for (int o = 0; o < out; o++) {
      for (int j = 0; j < in; j++) {
        if (toFeatureMajor) {
          p[w + j * out + o] = scratch[o * in + j];
        } else {
          p[w + o * in + j] = scratch[j * out + o];
        }
      }
    }
  }
}
