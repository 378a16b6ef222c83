package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one-pass Poisson bootstrap (Oza &amp; Russell 2001; Chamandy, Muralidharan, Najmi &amp; Naidu
 * 2012, "Estimating uncertainty for massive data streams"): instead of drawing n rows with
 * replacement, each resample gives row i an independent weight m_ri ~ Poisson(1), the large-n limit
 * of the multinomial counts. Every resample's sums Σ_i m_ri·x_i of several columns then come out of
 * one pass over the rows, and the resamples of every column share the same weights, so differences
 * between columns are paired.
 *
 * <p><b>Determinism.</b> Rows are cut into chunks of {@value #CHUNK_ROWS} (independent of the
 * thread count); chunk c gets the c-th {@link SplittableRandom#split()} of the seeded root, and
 * resample r of the chunk the r-th split of the chunk's generator. Each chunk's sums are added to
 * the totals in chunk order. The result is therefore bit-identical for any number of threads.
 *
 * <p><b>The draw.</b> Poisson(1) by inversion of its distribution function on a 44-bit uniform
 * integer (probabilities exact to 2^−44, weights capped at 14, whose tail probability is below
 * 10^−11): a 12-bit table decides all but 7 of the 4096 leading-bit buckets, and only those few
 * read 32 more bits. One {@code nextLong} gives five draws.
 */
final class PoissonBootstrap {
  /** Rows per chunk; part of the definition of the resamples, so never tied to the thread count. */
  static final int CHUNK_ROWS = 8192;

  private static final int TABLE_BITS = 12;
  private static final int TABLE_MASK = (1 << TABLE_BITS) - 1;
  private static final long[] CDF = new long[14];
  private static final byte[] TABLE = new byte[1 << TABLE_BITS];

  static {
    double p = Math.exp(-1);
    double cdf = 0;
    for (int k = 0; k < CDF.length; k++) {
      cdf += p;
      p /= k + 1;
      CDF[k] = (long) Math.floor(cdf * 0x1p44);
    }
    for (int v = 0; v < TABLE.length; v++) {
      long lo = ((long) v) << 32;
      int a = invert(lo);
      int b = invert(lo | 0xFFFF_FFFFL);
      TABLE[v] = a == b ? (byte) a : (byte) -1;
    }
  }

  private PoissonBootstrap() {}

  /** The Poisson(1) count of a 44-bit uniform integer. */
  private static int invert(long u) {
    int m = 0;
    while (m < CDF.length && u >= CDF[m]) {
      m++;
    }
    return m;
  }

  /**
   * Resampled sums.
   *
   * @param n rows
   * @param weights n row weights, or null for unit weights
   * @param columns C columns of n values each (already multiplied by the row weights)
   * @param resamples R
   * @param seed the root seed
   * @param pool the threads, or null to run on the caller's thread
   * @param threads how many workers to run on the pool
   * @return R × (C + 1) sums, row-major: per resample Σ m·w first, then Σ m·x_k for each column
   */
  static double[] sums(
      int n,
      double[] weights,
      double[][] columns,
      int resamples,
      long seed,
      ExecutorService pool,
      int threads) {
    int width = columns.length + 1;
    int chunks = (n + CHUNK_ROWS - 1) / CHUNK_ROWS;
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom[] chunkRng = new SplittableRandom[chunks];
    for (int c = 0; c < chunks; c++) {
      chunkRng[c] = root.split();
    }
    Merger merger = new Merger(chunks, resamples * width);
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          int[] m = new int[CHUNK_ROWS];
          int c;
          while ((c = next.getAndIncrement()) < chunks) {
            int from = c * CHUNK_ROWS;
            int len = Math.min(CHUNK_ROWS, n - from);
            double[] acc = new double[resamples * width];
            for (int r = 0; r < resamples; r++) {
              SplittableRandom rng = chunkRng[c].split();
              long count = draw(rng, m, len);
              int o = r * width;
              acc[o] = weights == null ? count : dot(m, weights, from, len);
              accumulate(m, columns, from, len, acc, o + 1);
            }
            merger.add(c, acc);
          }
        };
    if (pool == null || threads <= 1 || chunks <= 1) {
      worker.run();
    } else {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < Math.min(threads, chunks); t++) {
        futures.add(pool.submit(worker));
      }
      Evaluator.await(futures);
    }
    return merger.total;
  }

  /** Fills m[0..len) with Poisson(1) draws; returns their sum. */
  private static long draw(SplittableRandom rng, int[] m, int len) {
    long sum = 0;
    int i = 0;
    while (i < len) {
      long z = rng.nextLong();
      int lim = Math.min(5, len - i);
      for (int q = 0; q < lim; q++) {
        int v = (int) (z >>> (TABLE_BITS * q)) & TABLE_MASK;
        int k = TABLE[v];
        if (k < 0) {
          k = invert(((long) v << 32) | (rng.nextLong() >>> 32));
        }
        m[i++] = k;
        sum += k;
      }
    }
    return sum;
  }

  private static double dot(int[] m, double[] x, int from, int len) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += m[i] * x[from + i];
    }
    return s;
  }

  /** Adds Σ m·x of every column to acc[o..o+C), four columns per pass over the rows. */
  private static void accumulate(
      int[] m, double[][] columns, int from, int len, double[] acc, int o) {
    int c = 0;
    int cols = columns.length;
    for (; c + 3 < cols; c += 4) {
      double[] a = columns[c];
      double[] b = columns[c + 1];
      double[] d = columns[c + 2];
      double[] e = columns[c + 3];
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int i = 0; i < len; i++) {
        double mi = m[i];
        int r = from + i;
        s0 += mi * a[r];
        s1 += mi * b[r];
        s2 += mi * d[r];
        s3 += mi * e[r];
      }
      acc[o + c] = s0;
      acc[o + c + 1] = s1;
      acc[o + c + 2] = s2;
      acc[o + c + 3] = s3;
    }
    if (cols - c == 3) {
      double[] a = columns[c];
      double[] b = columns[c + 1];
      double[] d = columns[c + 2];
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      for (int i = 0; i < len; i++) {
        double mi = m[i];
        int r = from + i;
        s0 += mi * a[r];
        s1 += mi * b[r];
        s2 += mi * d[r];
      }
      acc[o + c] = s0;
      acc[o + c + 1] = s1;
      acc[o + c + 2] = s2;
    } else if (cols - c == 2) {
      double[] a = columns[c];
      double[] b = columns[c + 1];
      double s0 = 0;
      double s1 = 0;
      for (int i = 0; i < len; i++) {
        double mi = m[i];
        int r = from + i;
        s0 += mi * a[r];
        s1 += mi * b[r];
      }
      acc[o + c] = s0;
      acc[o + c + 1] = s1;
    } else if (cols - c == 1) {
      acc[o + c] = dot(m, columns[c], from, len);
    }
  }

  /**
   * Adds chunk sums to the totals in chunk order, whichever thread finishes first, holding at most
   * the chunks that finished ahead of a slower one.
   */
  private static final class Merger {
    final double[] total;
    private final double[][] pending;
    private int next;

    Merger(int chunks, int size) {
      this.total = new double[size];
      this.pending = new double[chunks][];
    }

    synchronized void add(int chunk, double[] sums) {
      pending[chunk] = sums;
      while (next < pending.length && pending[next] != null) {
        double[] s = pending[next];
        for (int k = 0; k < total.length; k++) {
          total[k] += s[k];
        }
        pending[next++] = null;
      }
    }
  }

  /**
   * The resampled weighted means of one column of {@link #sums}' result: per resample Σ m·x / Σ
   * m·w, NaN where a resample has no weight.
   *
   * @param sums the result of {@link #sums}
   * @param width its row width (columns + 1)
   * @param column the column's index in a row (1-based: 0 holds Σ m·w)
   * @param resamples R
   */
  static double[] means(double[] sums, int width, int column, int resamples) {
    double[] out = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double total = sums[r * width];
      out[r] = total > 0 ? sums[r * width + column] / total : Double.NaN;
    }
    return out;
  }
}
