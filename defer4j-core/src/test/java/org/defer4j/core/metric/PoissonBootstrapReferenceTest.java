package org.defer4j.core.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link PoissonBootstrap#sums} against a plain reference written from its documented definition
 * (class Javadoc): chunk c of {@value PoissonBootstrap#CHUNK_ROWS} rows draws from the c-th split
 * of {@code new SplittableRandom(seed)}, resample r of the chunk from the r-th split of that; each
 * {@code nextLong} gives five 12-bit leading digits of a 44-bit uniform integer, the 32 low bits
 * come from one more {@code nextLong} only when the digit alone does not decide the Poisson(1)
 * count; the count is the inverse of the Poisson(1) distribution function (exact to 2^−44, capped
 * at 14). The sums must agree bit for bit: with and without weights, for 0 to 9 columns (every
 * remainder of the four-column passes), several chunks with a short last one, on the caller's
 * thread or a pool.
 *
 * <p>The worker-count test also pins the number of chunks: a mutant that counts one chunk too many
 * when n mod 8192 is 0 or 8191 (PoissonBootstrap:85) adds only an empty chunk, which changes no
 * sum, but it makes a one-chunk table of 8192 rows go to the pool.
 */
class PoissonBootstrapReferenceTest {
  private static final int CHUNK = PoissonBootstrap.CHUNK_ROWS;
  private static final long[] CDF = new long[14];

  static {
    double p = Math.exp(-1);
    double cdf = 0;
    for (int k = 0; k < CDF.length; k++) {
      cdf += p;
      p /= k + 1;
      CDF[k] = (long) Math.floor(cdf * 0x1p44);
    }
  }

  /** The Poisson(1) count of a 44-bit uniform integer: how many CDF values it reaches. */
  private static int count(long u) {
    int m = 0;
    while (m < CDF.length && u >= CDF[m]) {
      m++;
    }
    return m;
  }

  /** Fills m with one chunk's draws. */
  private static void draw(SplittableRandom rng, int[] m, int len) {
    long z = 0;
    for (int i = 0; i < len; i++) {
      int q = i % 5;
      if (q == 0) {
        z = rng.nextLong();
      }
      long high = ((z >>> (12 * q)) & 0xFFF) << 32;
      boolean decided = count(high) == count(high | 0xFFFF_FFFFL);
      m[i] = decided ? count(high) : count(high | (rng.nextLong() >>> 32));
    }
  }

  private static double[] reference(
      int n, double[] weights, double[][] columns, int resamples, long seed) {
    int width = columns.length + 1;
    double[] total = new double[resamples * width];
    SplittableRandom root = new SplittableRandom(seed);
    int[] m = new int[CHUNK];
    for (int from = 0; from < n; from += CHUNK) {
      SplittableRandom chunk = root.split();
      int len = Math.min(CHUNK, n - from);
      for (int r = 0; r < resamples; r++) {
        draw(chunk.split(), m, len);
        double[] s = new double[width];
        for (int i = 0; i < len; i++) {
          s[0] += weights == null ? m[i] : m[i] * weights[from + i];
          for (int c = 0; c < columns.length; c++) {
            s[c + 1] += m[i] * columns[c][from + i];
          }
        }
        for (int k = 0; k < width; k++) {
          total[r * width + k] += s[k];
        }
      }
    }
    return total;
  }

  private static double[][] columns(int count, int n, SplittableRandom rng) {
    double[][] x = new double[count][n];
    for (double[] col : x) {
      for (int i = 0; i < n; i++) {
        col[i] = rng.nextInt(4) * 0.25 + rng.nextDouble();
      }
    }
    return x;
  }

  @Test
  void sumsAreThoseOfTheDocumentedResamplesForEveryColumnCount() {
    // Two full chunks and 37 rows (not a multiple of 5 draws per nextLong).
    int n = 2 * CHUNK + 37;
    SplittableRandom data = new SplittableRandom(21);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.5 + data.nextDouble();
    }
    for (int cols = 0; cols <= 9; cols++) {
      double[][] x = columns(cols, n, data);
      double[] weighted = PoissonBootstrap.sums(n, w, x, 6, 42L, null, 1);
      assertThat(weighted)
          .as("%d columns, weighted", cols)
          .containsExactly(reference(n, w, x, 6, 42L));
      double[] unit = PoissonBootstrap.sums(n, null, x, 6, 42L, null, 1);
      assertThat(unit)
          .as("%d columns, unit weights", cols)
          .containsExactly(reference(n, null, x, 6, 42L));
    }
  }

  @Test
  void eachChunkReadsItsOwnRows() {
    // Unit weights, one column that is 1 on the last chunk's 3 rows only: its sum is the last
    // chunk's Σ m, whose mean over R resamples is 3 (Poisson(1) per row), and the reference's.
    int n = 2 * CHUNK + 3;
    double[] last = new double[n];
    for (int i = 2 * CHUNK; i < n; i++) {
      last[i] = 1;
    }
    int resamples = 400;
    double[] sums = PoissonBootstrap.sums(n, null, new double[][] {last}, resamples, 5L, null, 1);
    assertThat(sums).containsExactly(reference(n, null, new double[][] {last}, resamples, 5L));
    double mean = 0;
    for (int r = 0; r < resamples; r++) {
      mean += sums[2 * r + 1] / resamples;
    }
    // Standard error √(3/400) ≈ 0.087.
    assertThat(mean).isBetween(3 - 5 * 0.087, 3 + 5 * 0.087);
  }

  @Test
  void theDrawsDoNotDependOnThreadsOrOnThePool() throws Exception {
    int n = 3 * CHUNK + 11;
    SplittableRandom data = new SplittableRandom(4);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = data.nextDouble();
    }
    double[][] x = columns(3, n, data);
    double[] expected = reference(n, w, x, 5, 9L);
    // No pool: the caller's thread, whatever the thread count.
    assertThat(PoissonBootstrap.sums(n, w, x, 5, 9L, null, 1)).containsExactly(expected);
    assertThat(PoissonBootstrap.sums(n, w, x, 5, 9L, null, 3)).containsExactly(expected);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int threads = 1; threads <= 5; threads++) {
        assertThat(PoissonBootstrap.sums(n, w, x, 5, 9L, pool, threads))
            .as("%d threads", threads)
            .containsExactly(expected);
      }
      // One chunk on a pool.
      assertThat(PoissonBootstrap.sums(100, null, new double[0][], 7, 1L, pool, 3))
          .containsExactly(reference(100, null, new double[0][], 7, 1L));
    } finally {
      pool.shutdownNow();
    }
  }

  /** An executor that counts the tasks it is given and runs them on a real pool. */
  private static final class CountingExecutor extends AbstractExecutorService {
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    final AtomicInteger tasks = new AtomicInteger();

    @Override
    public void execute(Runnable command) {
      tasks.incrementAndGet();
      pool.execute(command);
    }

    @Override
    public void shutdown() {
      pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return pool.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return pool.awaitTermination(timeout, unit);
    }
  }

  /** How many workers {@code sums} hands to the pool for n rows and a thread count. */
  private static int workers(int n, int threads) {
    CountingExecutor pool = new CountingExecutor();
    try {
      double[] sums = PoissonBootstrap.sums(n, null, new double[0][], 2, 3L, pool, threads);
      assertThat(sums).containsExactly(reference(n, null, new double[0][], 2, 3L));
      return pool.tasks.get();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void thePoolRunsOneWorkerPerThreadButNoMoreThanThereAreChunks() {
    // "threads: how many workers to run on the pool" — capped by the chunks there are to do; one
    // thread or one chunk runs on the caller's thread, without handing anything to the pool.
    int fourChunks = 3 * CHUNK + 1;
    assertThat(workers(fourChunks, 2)).isEqualTo(2);
    assertThat(workers(fourChunks, 4)).isEqualTo(4);
    assertThat(workers(fourChunks, 9)).isEqualTo(4);
    assertThat(workers(fourChunks, 1)).isZero();
    assertThat(workers(CHUNK, 3)).isZero();
    assertThat(workers(2 * CHUNK, 3)).isEqualTo(2);
  }
}
