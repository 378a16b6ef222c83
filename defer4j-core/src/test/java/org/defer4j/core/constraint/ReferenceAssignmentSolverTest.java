package org.defer4j.core.constraint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reference solver against brute force over every assignment of small instances. */
class ReferenceAssignmentSolverTest {
  private final ReferenceAssignmentSolver solver = new ReferenceAssignmentSolver();

  /** Brute force over all A^n assignments; +∞ when infeasible. */
  private static double brute(double[] c, int n, int a, int[] cap, AssignmentSolver.Mode mode) {
    int[] x = new int[n];
    double best = Double.POSITIVE_INFINITY;
    long total = (long) Math.pow(a, n);
    for (long code = 0; code < total; code++) {
      long r = code;
      int[] load = new int[a];
      double s = 0;
      boolean ok = true;
      for (int i = 0; i < n && ok; i++) {
        x[i] = (int) (r % a);
        r /= a;
        double v = c[i * a + x[i]];
        ok = !Double.isNaN(v) && ++load[x[i]] <= cap[x[i]];
        s += v;
      }
      for (int j = 0; ok && mode == AssignmentSolver.Mode.EXACT && j < a; j++) {
        ok = load[j] == cap[j];
      }
      if (ok) {
        best = Math.min(best, s);
      }
    }
    return best;
  }

  @Test
  void matchesBruteForceOnRandomInstances() {
    SplittableRandom rng = new SplittableRandom(7);
    int solved = 0;
    for (int trial = 0; trial < 400; trial++) {
      int n = 1 + rng.nextInt(7);
      int a = 1 + rng.nextInt(3);
      double[] c = new double[n * a];
      for (int k = 0; k < c.length; k++) {
        c[k] = rng.nextDouble() < 0.1 ? Double.NaN : rng.nextDouble() * 2 - 0.5;
      }
      AssignmentSolver.Mode mode =
          rng.nextBoolean() ? AssignmentSolver.Mode.AT_MOST : AssignmentSolver.Mode.EXACT;
      int[] cap = new int[a];
      if (mode == AssignmentSolver.Mode.EXACT) {
        for (int i = 0; i < n; i++) {
          cap[rng.nextInt(a)]++;
        }
      } else {
        for (int j = 0; j < a; j++) {
          cap[j] = rng.nextInt(n + 1);
        }
      }
      double expected = brute(c, n, a, cap, mode);
      if (expected == Double.POSITIVE_INFINITY) {
        assertThrows(IllegalArgumentException.class, () -> solver.solve(c, n, cap, mode));
        continue;
      }
      int[] x = solver.solve(c, n, cap, mode);
      int[] load = new int[a];
      for (int j : x) {
        load[j]++;
      }
      for (int j = 0; j < a; j++) {
        assertTrue(load[j] <= cap[j], "capacity of agent " + j + " exceeded in trial " + trial);
        if (mode == AssignmentSolver.Mode.EXACT) {
          assertEquals(cap[j], load[j], "exact capacity of agent " + j + " in trial " + trial);
        }
      }
      // Sums of at most 7 costs in [-0.5, 1.5]: 1e-9 is far above rounding.
      assertEquals(expected, ReferenceAssignmentSolver.cost(c, a, x), 1e-9, "trial " + trial);
      solved++;
    }
    assertTrue(solved > 200, "too few feasible instances: " + solved);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> solver.solve(new double[4], 2, new int[] {1, 0}, AssignmentSolver.Mode.AT_MOST));
    assertThrows(
        IllegalArgumentException.class,
        () -> solver.solve(new double[4], 2, new int[] {1, 2}, AssignmentSolver.Mode.EXACT));
    assertThrows(
        IllegalArgumentException.class,
        () -> solver.solve(new double[3], 2, new int[] {1, 2}, AssignmentSolver.Mode.AT_MOST));
  }
}
