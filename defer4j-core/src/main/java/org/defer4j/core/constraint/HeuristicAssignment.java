package org.defer4j.core.constraint;

import java.util.SplittableRandom;

/**
 * DeCCaF's two baselines for capacity-aware batch assignment (Alves et al. 2024, {@code
 * feedzai/deccaf Code/deferral/run_alert.py}; METHODS-2 §D2), pure Java:
 *
 * <ul>
 *   <li>{@link #greedy()} (OvA-greedy): cases in batch order; each goes to the cheapest allowed
 *       agent that still has spare capacity (DeCCaF ranks agents by their one-vs-all score, i.e. by
 *       estimated cost);
 *   <li>{@link #random(long)}: each case goes to a uniformly random allowed agent with spare
 *       capacity.
 * </ul>
 *
 * Under {@link Mode#EXACT} the limited agents must be filled: once the cases left equal the
 * capacity the limited agents still lack, only those agents are offered. Neither baseline is
 * optimal; both fail (with the case named) where their myopic order strands a case.
 */
public final class HeuristicAssignment implements AssignmentSolver {
  private final boolean random;
  private final long seed;

  private HeuristicAssignment(boolean random, long seed) {
    this.random = random;
    this.seed = seed;
  }

  /** OvA-greedy: the cheapest agent with spare capacity, case by case. */
  public static HeuristicAssignment greedy() {
    return new HeuristicAssignment(false, 0L);
  }

  /** A random agent with spare capacity, case by case, seeded. */
  public static HeuristicAssignment random(long seed) {
    return new HeuristicAssignment(true, seed);
  }

  @Override
  public String name() {
    return random ? "random" : "greedy";
  }

  @Override
  public int[] solve(double[] costs, int n, int[] capacity, Mode mode) {
    int a = AssignmentProblems.check(costs, n, capacity, mode);
    SplittableRandom rng = new SplittableRandom(seed);
    int[] left = capacity.clone();
    long need = 0; // capacity the limited agents still lack (EXACT only)
    if (mode == Mode.EXACT) {
      for (int c : capacity) {
        need += c == Integer.MAX_VALUE ? 0 : c;
      }
    }
    int[] out = new int[n];
    int[] pool = new int[a];
    for (int i = 0; i < n; i++) {
      boolean onlyLimited = mode == Mode.EXACT && need >= n - i;
      int best = -1;
      int count = 0;
      for (int j = 0; j < a; j++) {
        double c = costs[i * a + j];
        if (Double.isNaN(c) || left[j] == 0) {
          continue;
        }
        if (onlyLimited && capacity[j] == Integer.MAX_VALUE) {
          continue;
        }
        pool[count++] = j;
        if (best < 0 || c < costs[i * a + best]) {
          best = j;
        }
      }
      if (count == 0) {
        throw new IllegalArgumentException(
            name()
                + " assignment: case "
                + (i + 1)
                + " has no allowed agent with spare capacity left (the capacities cannot be met in"
                + " this order)");
      }
      int j = random ? pool[rng.nextInt(count)] : best;
      out[i] = j;
      if (left[j] != Integer.MAX_VALUE) {
        left[j]--;
        if (mode == Mode.EXACT) {
          need--;
        }
      }
    }
    return out;
  }
}
