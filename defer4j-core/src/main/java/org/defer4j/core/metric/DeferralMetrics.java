package org.defer4j.core.metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.policy.Decisions;

/**
 * Evaluates deferral decisions against a cost matrix.
 *
 * <p>For decisions r(x_i) ∈ {0..J} and weights w_i (1 without a {@code weight} column):
 *
 * <pre>
 *   mean cost        = Σ_i w_i c_{r(x_i)}(x_i) / Σ_i w_i              (survey eq. 15, averaged)
 *   system accuracy  = Σ_i w_i 1[agent r(x_i) correct] / Σ_i w_i
 *   coverage         = Σ_i w_i 1[r(x_i) = 0] / Σ_i w_i
 *   allocation(j)    = Σ_i w_i 1[r(x_i) = j] / Σ_i w_i
 *   accuracy of j    = Σ_{i: r(x_i)=j} w_i 1[j correct] / Σ_{i: r(x_i)=j} w_i
 * </pre>
 *
 * A ratio whose denominator is 0 is NaN. An accuracy is NaN as soon as one of its rows has unknown
 * correctness ({@link CostMatrix#UNKNOWN}), since a share of correct rows cannot be formed then.
 * Decisions must choose available agents; a decision on an unavailable agent is an error, not a
 * silently skipped row.
 */
public final class DeferralMetrics {
  private DeferralMetrics() {}

  /**
   * Evaluates a bare decision array (its fallback count is reported as 0).
   *
   * @param costs the n × A cost matrix
   * @param decisions n agent indices, each available on its row
   * @param table the table for weights and groups, or {@code null} (unit weights, no groups)
   * @throws IllegalArgumentException on a length mismatch, an index out of range, an unavailable
   *     chosen agent, or a negative or non-finite weight
   */
  public static DeferralReport evaluate(CostMatrix costs, int[] decisions, DeferralTable table) {
    return evaluate(costs, Decisions.of(decisions), table);
  }

  /** Evaluates decisions that carry their fallback record. */
  public static DeferralReport evaluate(
      CostMatrix costs, Decisions decisions, DeferralTable table) {
    return evaluate(costs, decisions, table, List.of());
  }

  /**
   * Evaluates decisions and reports the named groups even when they have no row in this table (for
   * example groups seen in training but absent from a small test split): such a group gets n = 0
   * and NaN metrics. Groups of the table not listed are appended in sorted order.
   *
   * @param expectedGroups group values to report first, in this order
   */
  public static DeferralReport evaluate(
      CostMatrix costs, Decisions decisions, DeferralTable table, List<String> expectedGroups) {
    int n = costs.rows();
    int[] r = checkedDecisions(costs, decisions.agents());
    double[] w = weights(table, n);
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    Summary s = summarize(costs, r, w, all);
    String[] names = costs.agents().names();
    Map<String, Double> allocation = new LinkedHashMap<>();
    Map<String, Double> expertAccuracy = new LinkedHashMap<>();
    for (int j = 0; j < names.length; j++) {
      allocation.put(names[j], s.allocation[j]);
      if (j > 0) {
        expertAccuracy.put(names[j], s.agentAccuracy[j]);
      }
    }
    Map<String, GroupReport> groups = new LinkedHashMap<>();
    if (table != null && table.hasGroups()) {
      Map<String, List<Integer>> members = new LinkedHashMap<>();
      for (String g : expectedGroups) {
        members.put(g, new ArrayList<>());
      }
      TreeSet<String> others = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        String g = table.group(i);
        if (g == null) {
          throw new IllegalArgumentException(table.source() + ": row " + i + " has no group");
        }
        if (!members.containsKey(g)) {
          others.add(g);
        }
      }
      for (String g : others) {
        members.put(g, new ArrayList<>());
      }
      for (int i = 0; i < n; i++) {
        members.get(table.group(i)).add(i);
      }
      for (Map.Entry<String, List<Integer>> e : members.entrySet()) {
        int[] rows = e.getValue().stream().mapToInt(Integer::intValue).toArray();
        Summary gs = summarize(costs, r, w, rows);
        Map<String, Double> ga = new LinkedHashMap<>();
        for (int j = 0; j < names.length; j++) {
          ga.put(names[j], gs.allocation[j]);
        }
        groups.put(
            e.getKey(),
            new GroupReport(
                e.getKey(), rows.length, gs.accuracy, gs.meanCost, gs.allocation[0], ga));
      }
    }
    return new DeferralReport(
        n,
        s.accuracy,
        s.meanCost,
        s.allocation[0],
        allocation,
        s.agentAccuracy[0],
        expertAccuracy,
        decisions.fallbackCount(),
        groups);
  }

  /**
   * The mean system cost of decisions (weighted by the table's weights when present).
   *
   * @param table the table for weights, or {@code null}
   */
  public static double meanCost(CostMatrix costs, int[] decisions, DeferralTable table) {
    double[] c = rowCosts(costs, decisions);
    double[] w = weights(table, costs.rows());
    double num = 0;
    double den = 0;
    for (int i = 0; i < c.length; i++) {
      num += w[i] * c[i];
      den += w[i];
    }
    return ratio(num, den);
  }

  /**
   * The system accuracy of decisions (weighted by the table's weights when present); NaN when a
   * chosen agent's correctness is unknown.
   */
  public static double systemAccuracy(CostMatrix costs, int[] decisions, DeferralTable table) {
    double[] k = rowCorrect(costs, decisions);
    double[] w = weights(table, costs.rows());
    double num = 0;
    double den = 0;
    for (int i = 0; i < k.length; i++) {
      num += w[i] * k[i];
      den += w[i];
    }
    return ratio(num, den);
  }

  /** The share of rows kept by the model (weighted by the table's weights when present). */
  public static double coverage(CostMatrix costs, int[] decisions, DeferralTable table) {
    int[] r = checkedDecisions(costs, decisions);
    double[] w = weights(table, costs.rows());
    double num = 0;
    double den = 0;
    for (int i = 0; i < r.length; i++) {
      num += r[i] == 0 ? w[i] : 0;
      den += w[i];
    }
    return ratio(num, den);
  }

  /**
   * The cost each row incurs under the decisions: {@code c_{r(x_i)}(x_i)}.
   *
   * @throws IllegalArgumentException when a decision is out of range or on an unavailable agent
   */
  public static double[] rowCosts(CostMatrix costs, int[] decisions) {
    int[] r = checkedDecisions(costs, decisions);
    double[] out = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = costs.cost(i, r[i]);
    }
    return out;
  }

  /**
   * Whether each row's chosen agent was correct: 1, 0, or NaN when its correctness is unknown.
   *
   * @throws IllegalArgumentException when a decision is out of range or on an unavailable agent
   */
  public static double[] rowCorrect(CostMatrix costs, int[] decisions) {
    int[] r = checkedDecisions(costs, decisions);
    double[] out = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      byte k = costs.correct(i, r[i]);
      out[i] = k == CostMatrix.UNKNOWN ? Double.NaN : k;
    }
    return out;
  }

  /** The table's weights (all 1 without a table or a weight column), checked finite and ≥ 0. */
  static double[] weights(DeferralTable table, int n) {
    if (table != null) {
      Checks.checkDimension("rows of table " + table.source(), table.rows(), n);
    }
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = table == null ? 1.0 : Checks.checkNonNegative("weight of row " + i, table.weight(i));
    }
    return w;
  }

  static int[] checkedDecisions(CostMatrix costs, int[] decisions) {
    Checks.checkDimension("decisions", decisions.length, costs.rows());
    int a = costs.agentCount();
    for (int i = 0; i < decisions.length; i++) {
      int j = decisions[i];
      Checks.checkIndex("decision of row " + i, j, a);
      if (!costs.available(i, j)) {
        throw new IllegalArgumentException(
            "row "
                + i
                + ": the decision chooses agent '"
                + costs.agents().get(j).name()
                + "', which is unavailable there (no cost); policies must choose available"
                + " agents");
      }
    }
    return decisions;
  }

  private static double ratio(double num, double den) {
    return den > 0 ? num / den : Double.NaN;
  }

  private static Summary summarize(CostMatrix costs, int[] r, double[] w, int[] rows) {
    int a = costs.agentCount();
    double total = 0;
    double cost = 0;
    double correct = 0;
    boolean unknown = false;
    double[] agentWeight = new double[a];
    double[] agentCorrect = new double[a];
    boolean[] agentUnknown = new boolean[a];
    for (int i : rows) {
      int j = r[i];
      double wi = w[i];
      total += wi;
      cost += wi * costs.cost(i, j);
      agentWeight[j] += wi;
      byte k = costs.correct(i, j);
      if (k == CostMatrix.UNKNOWN) {
        unknown = true;
        agentUnknown[j] = true;
      } else {
        correct += wi * k;
        agentCorrect[j] += wi * k;
      }
    }
    Summary s = new Summary();
    s.meanCost = ratio(cost, total);
    s.accuracy = unknown ? Double.NaN : ratio(correct, total);
    s.allocation = new double[a];
    s.agentAccuracy = new double[a];
    for (int j = 0; j < a; j++) {
      s.allocation[j] = ratio(agentWeight[j], total);
      s.agentAccuracy[j] = agentUnknown[j] ? Double.NaN : ratio(agentCorrect[j], agentWeight[j]);
    }
    return s;
  }

  private static final class Summary {
    double meanCost;
    double accuracy;
    double[] allocation;
    double[] agentAccuracy;
  }
}
