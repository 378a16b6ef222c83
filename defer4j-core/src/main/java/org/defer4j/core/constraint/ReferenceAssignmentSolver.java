package org.defer4j.core.constraint;

import java.util.Arrays;

/**
 * The dependency-free exact {@link AssignmentSolver}: successive shortest paths on the
 * transportation network source → case (capacity 1) → agent (cost c_ij) → sink (capacity cap_j).
 *
 * <p>Cases are added one at a time. Adding case i augments along a shortest path in the residual
 * network, which here runs over the agents only: start at agent k with cost c_ik, move from agent j
 * to agent k by re-assigning one case i' now at j, at cost c_i'k − c_i'j (the cheapest such case
 * per pair), and end at an agent with spare capacity. The residual network of an optimal partial
 * assignment has no negative cycle (the invariant of successive shortest paths), so Bellman–Ford on
 * the A agents finds the path, and after the last case the assignment is optimal. Each case costs
 * O(n·A² + A³): meant as the reference for tests and for batches of a few thousand cases; the
 * OR-Tools min-cost flow is the fast one.
 *
 * <p>{@link Mode#EXACT} needs capacities summing to n; the same augmentations then fill every agent
 * exactly.
 */
public final class ReferenceAssignmentSolver implements AssignmentSolver {

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public int[] solve(double[] costs, int n, int[] capacity, Mode mode) {
    int a = capacity.length;
    if (a == 0) {
      throw new IllegalArgumentException("an assignment needs at least one agent");
    }
    if (costs.length != (long) n * a) {
      throw new IllegalArgumentException(
          "costs hold " + costs.length + " values; n × A = " + n + " × " + a + " needs " + n * a);
    }
    long totalCap = 0;
    for (int j = 0; j < a; j++) {
      if (capacity[j] < 0) {
        throw new IllegalArgumentException(
            "capacity of agent " + j + " must be >= 0, got " + capacity[j]);
      }
      totalCap += capacity[j];
    }
    if (mode == Mode.EXACT && totalCap != n) {
      throw new IllegalArgumentException(
          "exact capacities must sum to the " + n + " cases, they sum to " + totalCap);
    }
    if (totalCap < n) {
      throw new IllegalArgumentException(
          "too little capacity: " + totalCap + " places for " + n + " cases");
    }
    for (double c : costs) {
      if (!Double.isNaN(c) && Double.isInfinite(c)) {
        throw new IllegalArgumentException("costs must be finite or NaN (not allowed), got " + c);
      }
    }
    int[] assign = new int[n];
    Arrays.fill(assign, -1);
    int[] load = new int[a];
    double[] dist = new double[a];
    int[] pred = new int[a];
    int[] predCase = new int[a];
    double[] edge = new double[a * a];
    int[] edgeCase = new int[a * a];
    for (int i = 0; i < n; i++) {
      // The cheapest re-assignment per agent pair among the cases assigned so far.
      Arrays.fill(edge, Double.POSITIVE_INFINITY);
      for (int q = 0; q < i; q++) {
        int from = assign[q];
        double cf = costs[q * a + from];
        for (int to = 0; to < a; to++) {
          double ct = costs[q * a + to];
          if (to != from && !Double.isNaN(ct) && ct - cf < edge[from * a + to]) {
            edge[from * a + to] = ct - cf;
            edgeCase[from * a + to] = q;
          }
        }
      }
      for (int k = 0; k < a; k++) {
        double c = costs[i * a + k];
        dist[k] = Double.isNaN(c) ? Double.POSITIVE_INFINITY : c;
        pred[k] = -1;
      }
      for (int round = 1; round < a; round++) {
        boolean changed = false;
        for (int from = 0; from < a; from++) {
          if (dist[from] == Double.POSITIVE_INFINITY) {
            continue;
          }
          for (int to = 0; to < a; to++) {
            double e = edge[from * a + to];
            if (e != Double.POSITIVE_INFINITY && dist[from] + e < dist[to] - 1e-12) {
              dist[to] = dist[from] + e;
              pred[to] = from;
              predCase[to] = edgeCase[from * a + to];
              changed = true;
            }
          }
        }
        if (!changed) {
          break;
        }
      }
      int end = -1;
      for (int k = 0; k < a; k++) {
        if (load[k] < capacity[k]
            && dist[k] < Double.POSITIVE_INFINITY
            && (end < 0 || dist[k] < dist[end])) {
          end = k;
        }
      }
      if (end < 0) {
        throw new IllegalArgumentException(
            "infeasible: case "
                + i
                + " cannot be placed (no allowed agent has room, even after re-assigning others)");
      }
      load[end]++;
      int k = end;
      int steps = 0;
      while (pred[k] >= 0) {
        int q = predCase[k];
        assign[q] = k;
        k = pred[k];
        if (++steps > a) {
          throw new IllegalStateException("augmenting path did not terminate (a bug)");
        }
      }
      assign[i] = k;
    }
    return assign;
  }

  /**
   * The objective Σ_i c_{i, assignment_i}.
   *
   * @throws IllegalArgumentException when a case sits with an agent that may not take it
   */
  public static double cost(double[] costs, int a, int[] assignment) {
    double s = 0;
    for (int i = 0; i < assignment.length; i++) {
      double c = costs[i * a + assignment[i]];
      if (Double.isNaN(c)) {
        throw new IllegalArgumentException(
            "case " + i + " sits with an agent that may not take it");
      }
      s += c;
    }
    return s;
  }
}
