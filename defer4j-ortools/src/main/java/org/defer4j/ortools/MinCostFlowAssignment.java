package org.defer4j.ortools;

import com.google.ortools.graph.MinCostFlow;
import com.google.ortools.graph.MinCostFlowBase;
import org.defer4j.core.constraint.AssignmentProblems;
import org.defer4j.core.constraint.AssignmentSolver;

/**
 * Exact capacity-aware batch assignment as a min-cost flow (a transportation problem, totally
 * unimodular, so the flow optimum is integral; METHODS-2 §D2), on OR-Tools' {@code
 * SimpleMinCostFlow}:
 *
 * <pre>
 *   source ──(cap 1)──► case i ──(cap 1, cost ĉ_ij)──► agent j ──(cap cap_j)──► sink
 * </pre>
 *
 * with supply n at the source. Agents without a limit ({@link Integer#MAX_VALUE}) feed the sink
 * through one extra node whose capacity is n − Σ limited capacities under {@link Mode#EXACT}, so
 * every limited agent is filled exactly; under {@link Mode#AT_MOST} they feed the sink directly.
 * NaN cells get no arc.
 *
 * <p><b>Precision.</b> Costs are shifted per case by the case's smallest cost (this changes every
 * assignment's objective by the same constant) and rounded to integers ĉ_ij = round(10⁹ · c'_ij /
 * max c'); the flow is optimal for ĉ, so its objective in the original costs — recomputed in
 * doubles — is within n · max c' · 10⁻⁹ of the true optimum.
 */
public final class MinCostFlowAssignment implements AssignmentSolver {
  /** Integer cost of the largest shifted cost. */
  public static final double SCALE = 1e9;

  /** The solver; loads OR-Tools' native library on first use. */
  public MinCostFlowAssignment() {
    NativeLibrary.load();
  }

  @Override
  public String name() {
    return "ortools-min-cost-flow";
  }

  @Override
  public int[] solve(double[] costs, int n, int[] capacity, Mode mode) {
    int a = AssignmentProblems.check(costs, n, capacity, mode);
    if (n == 0) {
      return new int[0];
    }
    double[] shifted = new double[costs.length];
    double max = 0.0;
    for (int i = 0; i < n; i++) {
      double min = Double.POSITIVE_INFINITY;
      for (int j = 0; j < a; j++) {
        double c = costs[i * a + j];
        if (!Double.isNaN(c)) {
          min = Math.min(min, c);
        }
      }
      for (int j = 0; j < a; j++) {
        double c = costs[i * a + j] - min;
        shifted[i * a + j] = c;
        if (!Double.isNaN(c)) {
          max = Math.max(max, c);
        }
      }
    }
    double scale = max > 0 ? SCALE / max : 0.0;
    long limited = 0;
    boolean unlimited = false;
    for (int c : capacity) {
      if (c == Integer.MAX_VALUE) {
        unlimited = true;
      } else {
        limited += c;
      }
    }
    int source = 0;
    int firstAgent = n + 1;
    int rest = n + a + 1;
    int sink = n + a + 2;
    MinCostFlow flow = new MinCostFlow(n + a + 3, n * a + n + a + 1);
    try {
      for (int i = 0; i < n; i++) {
        flow.addArcWithCapacityAndUnitCost(source, 1 + i, 1, 0);
      }
      int[] arc = new int[n * a];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < a; j++) {
          double c = shifted[i * a + j];
          arc[i * a + j] =
              Double.isNaN(c) || capacity[j] == 0
                  ? -1
                  : flow.addArcWithCapacityAndUnitCost(
                      1 + i, firstAgent + j, 1, Math.round(c * scale));
        }
      }
      for (int j = 0; j < a; j++) {
        if (capacity[j] == Integer.MAX_VALUE) {
          flow.addArcWithCapacityAndUnitCost(
              firstAgent + j, mode == Mode.EXACT ? rest : sink, n, 0);
        } else {
          flow.addArcWithCapacityAndUnitCost(firstAgent + j, sink, Math.min(capacity[j], n), 0);
        }
      }
      if (mode == Mode.EXACT && unlimited) {
        flow.addArcWithCapacityAndUnitCost(rest, sink, n - limited, 0);
      }
      flow.setNodeSupply(source, n);
      flow.setNodeSupply(sink, -n);
      MinCostFlowBase.Status status = flow.solve();
      if (status == MinCostFlowBase.Status.INFEASIBLE
          || status == MinCostFlowBase.Status.UNBALANCED) {
        throw new IllegalArgumentException(
            "infeasible: no assignment of the "
                + n
                + " cases meets the capacities"
                + (mode == Mode.EXACT ? " exactly" : "")
                + " given which agents may take which cases");
      }
      if (status != MinCostFlowBase.Status.OPTIMAL) {
        throw new IllegalStateException("OR-Tools min-cost flow ended with status " + status);
      }
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = -1;
        for (int j = 0; j < a; j++) {
          int k = arc[i * a + j];
          if (k >= 0 && flow.getFlow(k) > 0) {
            out[i] = j;
          }
        }
        if (out[i] < 0) {
          throw new IllegalStateException("min-cost flow left case " + (i + 1) + " unassigned");
        }
      }
      return out;
    } finally {
      flow.delete();
    }
  }
}
