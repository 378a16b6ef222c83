package org.defer4j.core.online;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * A time-ordered stream to replay: per round the context, which agents can be asked, and — hidden
 * from the router until the feedback mode reveals it — every agent's cost and residual.
 *
 * @param agents the agents' names (0-based index order of every per-agent array)
 * @param fees each agent's fee β_j
 * @param featureNames the context's feature names
 * @param ids each round's case id
 * @param contexts n × d contexts
 * @param available n × A: the agent may be asked and its outcome is recorded
 * @param costs n × A realised costs (fee included; NaN where not available)
 * @param residuals n × A prediction − truth (NaN where the task has no numeric prediction)
 */
public record OnlineStream(
    List<String> agents,
    double[] fees,
    List<String> featureNames,
    String[] ids,
    double[][] contexts,
    boolean[][] available,
    double[][] costs,
    double[][] residuals) {

  /** Validates the shapes. */
  public OnlineStream {
    agents = List.copyOf(agents);
    featureNames = List.copyOf(featureNames);
    Objects.requireNonNull(ids, "ids");
    int n = contexts.length;
    if (ids.length != n || available.length != n || costs.length != n || residuals.length != n) {
      throw new IllegalArgumentException("stream arrays must have one entry per round (" + n + ")");
    }
    if (fees.length != agents.size()) {
      throw new IllegalArgumentException("stream needs one fee per agent");
    }
    for (int t = 0; t < n; t++) {
      if (contexts[t].length != featureNames.size()
          || available[t].length != agents.size()
          || costs[t].length != agents.size()
          || residuals[t].length != agents.size()) {
        throw new IllegalArgumentException("stream round " + t + " has the wrong shape");
      }
      for (int j = 0; j < agents.size(); j++) {
        if (available[t][j] && !(costs[t][j] >= 0.0)) {
          throw new IllegalArgumentException(
              "stream round " + t + ": available agent " + agents.get(j) + " has no cost");
        }
      }
    }
  }

  /** The number of rounds. */
  public int rounds() {
    return contexts.length;
  }

  /** The context's dimension. */
  public int contextDim() {
    return featureNames.size();
  }

  /**
   * The stream of a labelled deferral table, rows in table order, under the task's cost model. An
   * agent can be asked on a row when its {@code avail.<agent>} cell (if any) is 1 and its outcome
   * is recorded there (a replay can only reveal what was recorded). The frozen model, when the task
   * names one, is an agent like the experts.
   *
   * @throws IllegalArgumentException when the table has no {@code x.*} column or lacks the truth
   *     the task needs
   */
  public static OnlineStream fromTable(DeferralTable table, TaskSpec spec) {
    if (table.featureCount() == 0) {
      throw new IllegalArgumentException(
          table.source() + ": an online stream needs context columns x.<name>");
    }
    CostModel model = new CostModel(spec);
    CostMatrix cm = model.costs(table);
    AgentSet set = cm.agents();
    List<Integer> keep = new ArrayList<>();
    for (int j = 0; j < set.size(); j++) {
      if (j == 0 && !spec.hasFrozenModel()) {
        continue;
      }
      keep.add(j);
    }
    int n = table.rows();
    int a = keep.size();
    List<String> names = new ArrayList<>();
    double[] fees = new double[a];
    AgentColumns[] cols = new AgentColumns[a];
    for (int k = 0; k < a; k++) {
      names.add(set.get(keep.get(k)).name());
      fees[k] = set.get(keep.get(k)).fee();
      cols[k] = table.agents().get(names.get(k));
    }
    double[][] ctx = new double[n][];
    boolean[][] avail = new boolean[n][a];
    double[][] cost = new double[n][a];
    double[][] resid = new double[n][a];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ctx[i] = table.featureRow(i);
      ids[i] = table.hasIds() ? table.id(i) : Integer.toString(i);
      for (int k = 0; k < a; k++) {
        double c = cm.cost(i, keep.get(k));
        boolean ok = !Double.isNaN(c) && table.available(names.get(k), i);
        avail[i][k] = ok;
        cost[i][k] = ok ? c : Double.NaN;
        resid[i][k] =
            ok && cols[k] != null && cols[k].hasPredictedValue() && table.hasTargets()
                ? cols[k].predictedValue(i) - table.target(i)
                : Double.NaN;
      }
    }
    return new OnlineStream(names, fees, table.featureNames(), ids, ctx, avail, cost, resid);
  }

  /** The router's view of round t: no outcomes. */
  public OnlineRound round(int t) {
    return new OnlineRound(t, ids[t], contexts[t], agents, available[t], fees);
  }

  /** Whether any agent can be asked on round t. */
  public boolean playable(int t) {
    for (boolean b : available[t]) {
      if (b) {
        return true;
      }
    }
    return false;
  }
}
