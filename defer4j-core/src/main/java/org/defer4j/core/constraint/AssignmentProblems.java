package org.defer4j.core.constraint;

import org.defer4j.core.constraint.AssignmentSolver.Mode;

/**
 * Checks and measures for the batch assignment problem of {@link AssignmentSolver}: the shape and
 * feasibility checks every solver runs first, and the objective and loads of an assignment.
 */
public final class AssignmentProblems {
  private AssignmentProblems() {}

  /**
   * Throws unless the problem is well formed and feasible as far as counting shows: costs n × A, no
   * infinite cost, capacities ≥ 0, every case has an allowed agent, total capacity ≥ n (AT_MOST) or
   * the limited agents' capacities fit n and reach it where no agent is unlimited (EXACT). Min-cost
   * flow detects the remaining (Hall-type) infeasibilities.
   *
   * @return A, the number of agents
   * @throws IllegalArgumentException naming the problem
   */
  public static int check(double[] costs, int n, int[] capacity, Mode mode) {
    if (n < 0) {
      throw new IllegalArgumentException("the number of cases must be >= 0, got " + n);
    }
    int a = capacity.length;
    if (a == 0) {
      throw new IllegalArgumentException("no agents to assign cases to");
    }
    if (costs.length != (long) n * a) {
      throw new IllegalArgumentException(
          "costs have " + costs.length + " cells; expected n × A = " + n + " × " + a);
    }
    long limited = 0;
    boolean unlimited = false;
    for (int j = 0; j < a; j++) {
      if (capacity[j] < 0) {
        throw new IllegalArgumentException(
            "agent " + j + ": capacity must be >= 0, got " + capacity[j]);
      }
      if (capacity[j] == Integer.MAX_VALUE) {
        unlimited = true;
      } else {
        limited += capacity[j];
      }
    }
    for (int i = 0; i < n; i++) {
      boolean any = false;
      for (int j = 0; j < a; j++) {
        double c = costs[i * a + j];
        if (Double.isInfinite(c)) {
          throw new IllegalArgumentException(
              "case "
                  + (i + 1)
                  + ", agent "
                  + j
                  + ": cost is infinite (use NaN for 'may not take')");
        }
        any |= !Double.isNaN(c) && capacity[j] > 0;
      }
      if (!any) {
        throw new IllegalArgumentException(
            "case " + (i + 1) + ": no agent with capacity may take it (all costs NaN)");
      }
    }
    if (mode == Mode.AT_MOST && !unlimited && limited < n) {
      throw new IllegalArgumentException(
          "infeasible: the capacities sum to " + limited + " but there are " + n + " cases");
    }
    if (mode == Mode.EXACT) {
      if (limited > n) {
        throw new IllegalArgumentException(
            "infeasible: exact capacities sum to "
                + limited
                + " but there are only "
                + n
                + " cases");
      }
      if (!unlimited && limited != n) {
        throw new IllegalArgumentException(
            "infeasible: exact capacities sum to "
                + limited
                + " but there are "
                + n
                + " cases (give one agent no limit to take the rest)");
      }
    }
    return a;
  }

  /**
   * Σ_i c_{i, agent(i)}.
   *
   * @throws IllegalArgumentException when an assigned cell is NaN
   */
  public static double objective(double[] costs, int[] agent) {
    int n = agent.length;
    if (n == 0) {
      return 0.0;
    }
    int a = costs.length / n;
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      double c = costs[i * a + agent[i]];
      if (Double.isNaN(c)) {
        throw new IllegalArgumentException(
            "case " + (i + 1) + " is assigned to agent " + agent[i] + ", which may not take it");
      }
      total += c;
    }
    return total;
  }

  /** The number of cases each of {@code agents} agents receives. */
  public static int[] loads(int[] agent, int agents) {
    int[] load = new int[agents];
    for (int j : agent) {
      load[j]++;
    }
    return load;
  }

  /**
   * Whether {@code agent} respects the capacities under {@code mode} (exact capacities bind only
   * agents with a limit) and never uses a NaN cell.
   */
  public static boolean feasible(double[] costs, int[] agent, int[] capacity, Mode mode) {
    int a = capacity.length;
    for (int i = 0; i < agent.length; i++) {
      if (agent[i] < 0 || agent[i] >= a || Double.isNaN(costs[i * a + agent[i]])) {
        return false;
      }
    }
    int[] load = loads(agent, a);
    for (int j = 0; j < a; j++) {
      if (load[j] > capacity[j]) {
        return false;
      }
      if (mode == Mode.EXACT && capacity[j] != Integer.MAX_VALUE && load[j] != capacity[j]) {
        return false;
      }
    }
    return true;
  }
}
