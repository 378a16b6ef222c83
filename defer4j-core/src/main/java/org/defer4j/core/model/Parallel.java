package org.defer4j.core.model;

import java.util.concurrent.ForkJoinTask;

/**
 * Splits a batch pass into contiguous ranges run on the common fork-join pool.
 *
 * <p>Every kernel split this way computes each output entry from the same terms in the same order
 * whatever the range it falls in, so results are bit-for-bit identical for any number of threads.
 */
final class Parallel {
  /** Below this many multiply-adds a pass stays on the calling thread: forking costs more. */
  static final long MIN_WORK = 1L << 17;

  private Parallel() {}

  /** A body over the index range [from, to), run as task number {@code task}. */
  @FunctionalInterface
  interface Range {
    void run(int task, int from, int to);
  }

  /**
   * Runs {@code body} over [0, n) in at most {@code threads} contiguous ranges whose bounds are
   * multiples of {@code grain} (but the last); on the calling thread alone when {@code work} is
   * small or one range suffices.
   */
  static void split(int threads, int n, int grain, long work, Range body) {
    int tasks = (int) Math.min(threads, ((long) n + grain - 1) / grain);
    if (tasks <= 1 || work < MIN_WORK) {
      body.run(0, 0, n);
      return;
    }
    int units = (n + grain - 1) / grain;
    ForkJoinTask<?>[] forks = new ForkJoinTask<?>[tasks];
    for (int t = 0; t < tasks; t++) {
      int from = Math.min(n, (int) ((long) units * t / tasks) * grain);
      int to = t + 1 == tasks ? n : Math.min(n, (int) ((long) units * (t + 1) / tasks) * grain);
      int task = t;
      forks[t] = ForkJoinTask.adapt(() -> body.run(task, from, to));
    }
    ForkJoinTask.invokeAll(forks);
  }
}
