package org.defer4j.core.metric;

import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.TaskSpec;

/**
 * Per-task metrics of the agents a policy chose, for multi-task deferral (seed paper, "A two-stage
 * learning-to-defer approach for multi-task learning", Table 1): with r(x_i) the chosen agent and
 * weights w_i,
 *
 * <pre>
 *   accuracy        = Σ_i w_i 1[ŷ_{r(x_i)}(x_i) = y_i] / Σ_i w_i
 *   regression loss = Σ_i w_i ℓ(t̂_{r(x_i)}(x_i), t_i) / Σ_i w_i
 * </pre>
 *
 * where ℓ is the task's regression loss (smooth-L1 by default) <em>without</em> the cost's clip, as
 * the paper reports it. Either is NaN when the task has no labels or no targets.
 */
public final class MultiTaskMetrics {
  private MultiTaskMetrics() {}

  /**
   * @param n rows
   * @param accuracy classification accuracy of the chosen agents (NaN without labels)
   * @param regressionLoss mean regression loss of the chosen agents (NaN without targets)
   */
  public record Result(int n, double accuracy, double regressionLoss) {}

  /**
   * Evaluates decisions whose agents are read from the table (the frozen model under the task's
   * {@code model:} name).
   *
   * @throws IllegalArgumentException when a chosen agent did not see its row
   */
  public static Result evaluate(TaskSpec task, DeferralTable table, int[] decisions) {
    return evaluate(task, table, null, decisions);
  }

  /**
   * Evaluates decisions, with the model's outputs given explicitly (null: read from the table).
   *
   * @param task the task (agents, regression loss)
   * @param table truth, weights and the agents' columns
   * @param model the model's columns, or null to read {@code m.<model>.*} from the table
   * @param decisions the chosen agent of each row (0 = model)
   * @throws IllegalArgumentException on a length mismatch, an agent index out of range, or a chosen
   *     agent that did not predict the needed output on its row
   */
  public static Result evaluate(
      TaskSpec task, DeferralTable table, AgentColumns model, int[] decisions) {
    int n = table.rows();
    if (decisions.length != n) {
      throw new IllegalArgumentException(
          "decisions have length " + decisions.length + ", the table has " + n + " rows");
    }
    AgentSet agents = task.agents();
    AgentColumns[] cols = new AgentColumns[agents.size()];
    cols[0] = model != null ? model : table.agent(task.model());
    for (int j = 1; j < cols.length; j++) {
      cols[j] = table.agent(agents.get(j).name());
    }
    boolean labels = table.hasLabels() && task.kind().hasLabels();
    boolean targets = table.hasTargets() && task.kind().hasTargets();
    double w = 0;
    double right = 0;
    double loss = 0;
    for (int i = 0; i < n; i++) {
      int j = decisions[i];
      if (j < 0 || j >= cols.length) {
        throw new IllegalArgumentException("row " + i + ": agent " + j + " is out of range");
      }
      double wi = table.weight(i);
      w += wi;
      if (labels) {
        int p = cols[j].predictedClass(i);
        if (p == AgentColumns.UNOBSERVED) {
          throw unobserved(table, agents, i, j, "class");
        }
        right += p == table.label(i) ? wi : 0;
      }
      if (targets) {
        double v = cols[j].predictedValue(i);
        if (Double.isNaN(v)) {
          throw unobserved(table, agents, i, j, "value");
        }
        loss += wi * task.cost().regressionLoss().apply(v, table.target(i));
      }
    }
    return new Result(
        n, labels && w > 0 ? right / w : Double.NaN, targets && w > 0 ? loss / w : Double.NaN);
  }

  private static IllegalArgumentException unobserved(
      DeferralTable table, AgentSet agents, int row, int agent, String what) {
    return new IllegalArgumentException(
        table.source()
            + ": row "
            + row
            + " is given to '"
            + agents.get(agent).name()
            + "', which predicted no "
            + what
            + " there");
  }
}
