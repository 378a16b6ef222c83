package org.defer4j.ortools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.defer4j.core.constraint.AssignmentProblems;
import org.defer4j.core.constraint.AssignmentSolver;
import org.defer4j.core.constraint.AssignmentSolver.Mode;
import org.defer4j.core.constraint.HeuristicAssignment;
import org.junit.jupiter.api.Test;

class MinCostFlowAssignmentTest {
  private final AssignmentSolver solver = new MinCostFlowAssignment();

  /** The optimum by enumerating all A^n assignments (NaN where none is feasible). */
  static double bruteForce(double[] costs, int n, int[] capacity, Mode mode) {
    int a = capacity.length;
    int[] agent = new int[n];
    double best = Double.NaN;
    long total = (long) Math.pow(a, n);
    for (long code = 0; code < total; code++) {
      long c = code;
      for (int i = 0; i < n; i++) {
        agent[i] = (int) (c % a);
        c /= a;
      }
      if (AssignmentProblems.feasible(costs, agent, capacity, mode)) {
        double v = AssignmentProblems.objective(costs, agent);
        if (Double.isNaN(best) || v < best) {
          best = v;
        }
      }
    }
    return best;
  }

  /**
   * 400 random instances, n ≤ 7, A ≤ 3, both modes, some NaN cells, some unlimited agents: the
   * flow's objective equals brute force to n · max|c| · 1e-9 (the stated rounding bound), no
   * capacity is exceeded, no NaN cell is used, and infeasible instances are refused.
   */
  @Test
  void objectiveEqualsBruteForceOnRandomSmallInstances() {
    SplittableRandom rng = new SplittableRandom(20240601L);
    int solved = 0;
    int refused = 0;
    for (int t = 0; t < 400; t++) {
      int n = 1 + rng.nextInt(7);
      int a = 1 + rng.nextInt(3);
      Mode mode = rng.nextBoolean() ? Mode.AT_MOST : Mode.EXACT;
      double[] costs = new double[n * a];
      for (int k = 0; k < costs.length; k++) {
        costs[k] = rng.nextDouble() < 0.15 ? Double.NaN : rng.nextDouble() * 10 - 2;
      }
      int[] capacity = new int[a];
      for (int j = 0; j < a; j++) {
        capacity[j] = rng.nextDouble() < 0.15 ? Integer.MAX_VALUE : rng.nextInt(n + 1);
      }
      double expected = bruteForce(costs, n, capacity, mode);
      int[] got;
      try {
        got = solver.solve(costs, n, capacity, mode);
      } catch (IllegalArgumentException e) {
        assertThat(expected).as("instance %d refused: %s", t, e.getMessage()).isNaN();
        refused++;
        continue;
      }
      assertThat(expected).as("instance %d solved but brute force finds none", t).isNotNaN();
      assertThat(AssignmentProblems.feasible(costs, got, capacity, mode)).isTrue();
      assertThat(AssignmentProblems.objective(costs, got))
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(n * 12 * 1e-9 + 1e-12));
      solved++;
    }
    assertThat(solved).isGreaterThan(100);
    assertThat(refused).isGreaterThan(20);
  }

  @Test
  void baselinesRespectCapacitiesAndAreNoBetterThanTheOptimum() {
    SplittableRandom rng = new SplittableRandom(7L);
    for (int t = 0; t < 100; t++) {
      int n = 200;
      int a = 4;
      double[] costs = new double[n * a];
      for (int k = 0; k < costs.length; k++) {
        costs[k] = rng.nextDouble();
      }
      int[] capacity = {80, 60, 40, Integer.MAX_VALUE};
      for (Mode mode : Mode.values()) {
        double opt = AssignmentProblems.objective(costs, solver.solve(costs, n, capacity, mode));
        for (AssignmentSolver s :
            new AssignmentSolver[] {HeuristicAssignment.greedy(), HeuristicAssignment.random(t)}) {
          int[] got = s.solve(costs, n, capacity, mode);
          assertThat(AssignmentProblems.feasible(costs, got, capacity, mode)).isTrue();
          assertThat(AssignmentProblems.objective(costs, got)).isGreaterThanOrEqualTo(opt - 1e-6);
        }
      }
    }
  }

  @Test
  void infeasibleCapacitiesAreNamed() {
    double[] costs = {0, 1, 0, 1, 0, 1};
    assertThatThrownBy(() -> solver.solve(costs, 3, new int[] {1, 1}, Mode.AT_MOST))
        .hasMessageContaining("capacities sum to 2 but there are 3 cases");
    assertThatThrownBy(() -> solver.solve(costs, 3, new int[] {2, 2}, Mode.EXACT))
        .hasMessageContaining("exact capacities sum to 4");
    double[] blocked = {0, Double.NaN, 0, Double.NaN, 0, 1};
    assertThatThrownBy(() -> solver.solve(blocked, 3, new int[] {1, 3}, Mode.AT_MOST))
        .hasMessageStartingWith("infeasible: no assignment");
  }

  @Test
  void tenThousandCasesByTenAgentsRespectCapacities() {
    SplittableRandom rng = new SplittableRandom(3L);
    int n = 10_000;
    int a = 10;
    double[] costs = new double[n * a];
    for (int k = 0; k < costs.length; k++) {
      costs[k] = rng.nextDouble();
    }
    int[] capacity = new int[a];
    java.util.Arrays.fill(capacity, 1_000);
    int[] got = solver.solve(costs, n, capacity, Mode.EXACT);
    assertThat(AssignmentProblems.loads(got, a)).containsOnly(1_000);
    double greedy =
        AssignmentProblems.objective(
            costs, HeuristicAssignment.greedy().solve(costs, n, capacity, Mode.EXACT));
    assertThat(AssignmentProblems.objective(costs, got)).isLessThan(greedy);
  }
}
