package org.defer4j.core.online;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Streams with known laws, for tests and evidence. Every expert k's residual on round t is e =
 * μ_k(t, x) + σ ε with ε ~ N(0, 1), its cost e² (so its expected cost μ² + σ²), fee 0; the context
 * is x = (1, z) with z ~ N(0, 1) — the constant first so that φ₀ is an intercept.
 */
public final class SyntheticStreams {
  /** The noise sd σ of every expert's residual. */
  public static final double NOISE = 0.3;

  private SyntheticStreams() {}

  private interface Law {
    /** μ_k at round t and feature z; NaN when expert k is unavailable. */
    double mean(int k, int t, double z);
  }

  private static OnlineStream build(List<String> names, int rounds, long seed, Law law) {
    SplittableRandom rng = new SplittableRandom(seed);
    int a = names.size();
    double[][] ctx = new double[rounds][];
    boolean[][] avail = new boolean[rounds][a];
    double[][] cost = new double[rounds][a];
    double[][] resid = new double[rounds][a];
    String[] ids = new String[rounds];
    for (int t = 0; t < rounds; t++) {
      double z = rng.nextGaussian();
      ctx[t] = new double[] {1.0, z};
      ids[t] = Integer.toString(t);
      for (int k = 0; k < a; k++) {
        double noise = rng.nextGaussian();
        double mu = law.mean(k, t, z);
        if (Double.isNaN(mu)) {
          cost[t][k] = Double.NaN;
          resid[t][k] = Double.NaN;
          continue;
        }
        double e = mu + NOISE * noise;
        avail[t][k] = true;
        resid[t][k] = e;
        cost[t][k] = e * e;
      }
    }
    return new OnlineStream(
        names, new double[a], List.of("one", "z"), ids, ctx, avail, cost, resid);
  }

  /**
   * Experts entering and leaving: three incumbents with residual means 1.0, 1.3 and 1.6 (expected
   * costs 1.09, 1.78, 2.65); {@code incumbent2} leaves on rounds [rounds/3, 2·rounds/3) and comes
   * back; {@code newcomer}, mean 0.2 (expected cost 0.13, the best by far), arrives at {@code
   * arrival} and stays.
   */
  public static OnlineStream arrival(int rounds, int arrival, long seed) {
    double[] mean = {1.0, 1.3, 1.6, 0.2};
    return build(
        List.of("incumbent0", "incumbent1", "incumbent2", "newcomer"),
        rounds,
        seed,
        (k, t, z) -> {
          if (k == 3 && t < arrival) {
            return Double.NaN;
          }
          if (k == 2 && t >= rounds / 3 && t < 2 * rounds / 3) {
            return Double.NaN;
          }
          return mean[k];
        });
  }

  /**
   * An abrupt regime switch at {@code switchRound}: expert {@code a}'s residual mean is 0.3 before
   * and 1.5 after, expert {@code b}'s the reverse (expected costs 0.18 and 2.34).
   */
  public static OnlineStream regimeSwitch(int rounds, int switchRound, long seed) {
    return build(
        List.of("a", "b"), rounds, seed, (k, t, z) -> (t < switchRound) == (k == 0) ? 0.3 : 1.5);
  }

  /**
   * A context-dependent pool for speed measurements: the context is x = (1, z_1, …, z_{d−1}) with z
   * ~ N(0, I); expert k's residual mean is c_k + s_k z_1 with c_k ~ U(0.2, 1.5) and s_k ~ U(−0.5,
   * 0.5) drawn from the seed, each expert but the first available on 90 % of rounds.
   */
  public static OnlineStream pool(int experts, int rounds, int dim, long seed) {
    if (dim < 2) {
      throw new IllegalArgumentException("pool needs dim ≥ 2");
    }
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double[] c = new double[experts];
    double[] s = new double[experts];
    boolean[][] off = new boolean[rounds][experts];
    for (int k = 0; k < experts; k++) {
      c[k] = 0.2 + 1.3 * rng.nextDouble();
      s[k] = rng.nextDouble() - 0.5;
    }
    for (int t = 0; t < rounds; t++) {
      for (int k = 1; k < experts; k++) {
        off[t][k] = rng.nextDouble() < 0.1;
      }
    }
    List<String> names = new ArrayList<>();
    for (int k = 0; k < experts; k++) {
      names.add("expert" + k);
    }
    OnlineStream base =
        build(names, rounds, seed, (k, t, z) -> off[t][k] ? Double.NaN : c[k] + s[k] * z);
    double[][] ctx = new double[rounds][dim];
    List<String> features = new ArrayList<>(List.of("one", "z1"));
    for (int i = 2; i < dim; i++) {
      features.add("z" + i);
    }
    SplittableRandom extra = new SplittableRandom(seed + 1);
    for (int t = 0; t < rounds; t++) {
      ctx[t][0] = 1.0;
      ctx[t][1] = base.contexts()[t][1];
      for (int i = 2; i < dim; i++) {
        ctx[t][i] = extra.nextGaussian();
      }
    }
    return new OnlineStream(
        names,
        base.fees(),
        features,
        base.ids(),
        ctx,
        base.available(),
        base.costs(),
        base.residuals());
  }

  /** The expected cost μ² + σ² of a residual mean μ. */
  public static double expectedCost(double mean) {
    return mean * mean + NOISE * NOISE;
  }
}
