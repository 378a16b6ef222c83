package org.defer4j.core.constraint;

import java.util.Arrays;
import org.defer4j.core.policy.Decision;

/**
 * Per-agent capacities per period enforced at decision time on cases that arrive one at a time
 * (METHODS-2 §D2 for the batch form; this is its online counterpart).
 *
 * <p>Each case has a cost per agent u_j (row of A values, lower = preferred, NaN = unavailable; a
 * learned policy's are its negated agent scores, see {@code CapacityRouting}). Agent j may take at
 * most cap_j cases in each period of {@code period} consecutive arrivals. The online rule is
 * price-adjusted argmin with a hard cap:
 *
 * <pre>
 *   choose argmin_j { u_j + λ_j : j available, used_j &lt; cap_j }
 * </pre>
 *
 * and every available agent ranked above the chosen one whose capacity is used up is passed over
 * with {@link Decision.Reason#OVER_CAPACITY}. The hard cap alone guarantees that no capacity is
 * ever exceeded; the prices λ_j ≥ 0 keep the capacity from being spent on the first cases of a
 * period: they are the Lagrange multipliers of the rate constraints share_j ≤ cap_j / period,
 * learned on a validation stream by {@link #learn} (coordinate search: each λ_j in turn is set to
 * the least λ ≥ 0 whose validation share meets its rate, until no price moves). An agent without a
 * limit ({@link Integer#MAX_VALUE}) has price 0, and so has an agent whose spare capacity covers
 * every arrival left in the period (saving it would only waste it).
 *
 * <p>Immutable; {@link #open()} starts a {@link Stream}, the mutable per-router state.
 */
public final class StreamingCapacity {
  /** Capacity of an agent without a limit. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  private final int[] capacity;
  private final int period;
  private final double[] prices;

  /**
   * @param capacity per agent, ≥ 0, {@link #UNLIMITED} for none
   * @param period arrivals per period, ≥ 1 (counters reset after each)
   * @param prices per agent, finite and ≥ 0
   * @throws IllegalArgumentException on a bad value (the message names it)
   */
  public StreamingCapacity(int[] capacity, int period, double[] prices) {
    if (period < 1) {
      throw new IllegalArgumentException("a period must hold at least 1 case, got " + period);
    }
    if (prices.length != capacity.length) {
      throw new IllegalArgumentException(
          prices.length + " prices for " + capacity.length + " agents");
    }
    for (int j = 0; j < capacity.length; j++) {
      if (capacity[j] < 0) {
        throw new IllegalArgumentException(
            "capacity of agent " + j + " must be >= 0, got " + capacity[j]);
      }
      if (!(prices[j] >= 0 && Double.isFinite(prices[j]))) {
        throw new IllegalArgumentException(
            "price of agent " + j + " must be finite and >= 0, got " + prices[j]);
      }
    }
    this.capacity = capacity.clone();
    this.period = period;
    this.prices = prices.clone();
  }

  /** Capacities with zero prices: the hard cap alone (first come, first served). */
  public static StreamingCapacity hardCap(int[] capacity, int period) {
    return new StreamingCapacity(capacity, period, new double[capacity.length]);
  }

  /**
   * Learns the prices on a validation stream of costs.
   *
   * @param costs n × A costs, row-major (NaN = unavailable)
   * @param n validation cases
   * @param capacity per agent per period
   * @param period arrivals per period
   */
  public static StreamingCapacity learn(double[] costs, int n, int[] capacity, int period) {
    int a = capacity.length;
    if (costs.length != (long) n * a) {
      throw new IllegalArgumentException(
          "costs hold " + costs.length + " values; n × A = " + n + " × " + a + " needs " + n * a);
    }
    double[] lambda = new double[a];
    double spread = 0;
    for (int i = 0; i < n; i++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < a; j++) {
        double c = costs[i * a + j];
        if (!Double.isNaN(c)) {
          lo = Math.min(lo, c);
          hi = Math.max(hi, c);
        }
      }
      if (hi > lo) {
        spread = Math.max(spread, hi - lo);
      }
    }
    double ceiling = 2 * spread + 1;
    for (int round = 0; round < 50; round++) {
      boolean moved = false;
      for (int j = 0; j < a; j++) {
        if (capacity[j] == UNLIMITED) {
          continue;
        }
        double rate = Math.min(1.0, (double) capacity[j] / period);
        double before = lambda[j];
        lambda[j] = 0;
        if (share(costs, n, a, lambda, j) > rate) {
          double lo = 0;
          double hi = ceiling;
          lambda[j] = hi;
          if (share(costs, n, a, lambda, j) > rate) {
            // Even the largest useful price leaves the share above the rate (forced cases).
            lambda[j] = hi;
          } else {
            for (int it = 0; it < 60; it++) {
              double mid = 0.5 * (lo + hi);
              lambda[j] = mid;
              if (share(costs, n, a, lambda, j) > rate) {
                lo = mid;
              } else {
                hi = mid;
              }
            }
            lambda[j] = hi;
          }
        }
        if (Math.abs(lambda[j] - before) > 1e-12 * (1 + ceiling)) {
          moved = true;
        }
      }
      if (!moved) {
        break;
      }
    }
    return new StreamingCapacity(capacity, period, lambda);
  }

  /** The share of cases whose price-adjusted argmin is agent {@code j} (no caps). */
  private static double share(double[] costs, int n, int a, double[] lambda, int j) {
    if (n == 0) {
      return 0;
    }
    int count = 0;
    for (int i = 0; i < n; i++) {
      int best = -1;
      double bv = 0;
      for (int k = 0; k < a; k++) {
        double c = costs[i * a + k];
        if (!Double.isNaN(c) && (best < 0 || c + lambda[k] < bv)) {
          best = k;
          bv = c + lambda[k];
        }
      }
      count += best == j ? 1 : 0;
    }
    return (double) count / n;
  }

  /** The capacities per period. */
  public int[] capacity() {
    return capacity.clone();
  }

  /** Arrivals per period. */
  public int period() {
    return period;
  }

  /** The prices λ. */
  public double[] prices() {
    return prices.clone();
  }

  /** A fresh stream at the start of a period. */
  public Stream open() {
    return new Stream();
  }

  /**
   * The state of one router: the position in the current period and what each agent has used.
   * Thread-safe ({@link #decide} is synchronized), so a server can share one stream.
   */
  public final class Stream {
    private final int[] used = new int[capacity.length];
    private final double[] adjusted = new double[capacity.length];
    private long arrivals;

    private Stream() {}

    /**
     * Decides one arriving case.
     *
     * @param costs the case's A costs starting at {@code offset} (NaN = unavailable)
     * @param offset where they start
     * @param reasonsOut A reasons to fill (CHOSEN, LOWER_SCORE, UNAVAILABLE, OVER_CAPACITY), or
     *     null
     * @return the chosen agent, or −1 when every available agent is at capacity or none is
     *     available (the case is not counted)
     */
    public synchronized int decide(double[] costs, int offset, Decision.Reason[] reasonsOut) {
      int a = capacity.length;
      if (arrivals > 0 && arrivals % period == 0) {
        Arrays.fill(used, 0);
      }
      int chosen = -1;
      long left = period - arrivals % period;
      for (int j = 0; j < a; j++) {
        double c = costs[offset + j];
        // Capacity that the rest of the period cannot use up is free: its price drops to 0.
        double price = capacity[j] - used[j] >= left ? 0 : prices[j];
        adjusted[j] = Double.isNaN(c) ? Double.NaN : c + price;
        if (!Double.isNaN(c)
            && used[j] < capacity[j]
            && (chosen < 0 || adjusted[j] < adjusted[chosen])) {
          chosen = j;
        }
      }
      if (reasonsOut != null) {
        for (int j = 0; j < a; j++) {
          reasonsOut[j] =
              j == chosen
                  ? Decision.Reason.CHOSEN
                  : Double.isNaN(adjusted[j])
                      ? Decision.Reason.UNAVAILABLE
                      : used[j] >= capacity[j]
                              && (chosen < 0
                                  || adjusted[j] < adjusted[chosen]
                                  || adjusted[j] == adjusted[chosen] && j < chosen)
                          ? Decision.Reason.OVER_CAPACITY
                          : Decision.Reason.LOWER_SCORE;
        }
      }
      if (chosen >= 0) {
        used[chosen]++;
        arrivals++;
      }
      return chosen;
    }

    /** What each agent has used in the current period. */
    public synchronized int[] used() {
      return used.clone();
    }

    /** The cases decided so far. */
    public synchronized long arrivals() {
      return arrivals;
    }
  }
}
