package org.defer4j.core.cost;

import org.defer4j.core.agent.Agent;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * Turns recorded outcomes into per-agent costs: {@code c_j(x, z) = α_j · ρ(a_j(x), z) + β_j}
 * (DESIGN.md §2), where the error ρ is
 *
 * <ul>
 *   <li>the precomputed {@code cost.<agent>} cell when the table has one for the row;
 *   <li>otherwise λ_cls · 1[class wrong] for classification, λ_reg · min(ℓ_reg(prediction, t),
 *       clip) for regression (survey eq. 13), and their sum for multi-task (seed paper Definition
 *       4.1).
 * </ul>
 *
 * An agent that did not see a row gets no cost there (NaN: unavailable), never an error.
 */
public final class CostModel {
  private final TaskSpec spec;
  private final AgentSet agents;

  /** A cost model for a task. */
  public CostModel(TaskSpec spec) {
    this.spec = spec;
    this.agents = spec.agents();
  }

  /** The task. */
  public TaskSpec spec() {
    return spec;
  }

  /** The agents, in cost-matrix column order. */
  public AgentSet agents() {
    return agents;
  }

  /**
   * The cost matrix of a table whose task names a frozen model: every agent's outputs are read from
   * the table. When the task has no frozen model, the model column is unavailable everywhere (use
   * {@link #costs(DeferralTable, AgentColumns)} to supply a learned model's outputs).
   *
   * @throws IllegalArgumentException when a declared agent has no column, or the table lacks the
   *     truth the task needs
   */
  public CostMatrix costs(DeferralTable table) {
    return costs(table, spec.hasFrozenModel() ? table.agent(spec.model()) : null);
  }

  /**
   * The cost matrix with the model's outputs given explicitly (for example a learned classifier's
   * predictions); {@code model == null} makes the model unavailable everywhere.
   */
  public CostMatrix costs(DeferralTable table, AgentColumns model) {
    int n = table.rows();
    int a = agents.size();
    checkTruth(table);
    AgentColumns[] cols = new AgentColumns[a];
    cols[0] = model;
    for (int j = 1; j < a; j++) {
      cols[j] = table.agent(agents.get(j).name());
    }
    double[] cost = new double[n * a];
    byte[] correct = new byte[n * a];
    for (int j = 0; j < a; j++) {
      Agent agent = agents.get(j);
      for (int i = 0; i < n; i++) {
        int cell = i * a + j;
        if (cols[j] == null) {
          cost[cell] = Double.NaN;
          correct[cell] = CostMatrix.UNKNOWN;
          continue;
        }
        double err = error(table, cols[j], i);
        if (Double.isNaN(err)) {
          cost[cell] = Double.NaN;
          correct[cell] = CostMatrix.UNKNOWN;
        } else {
          cost[cell] = agent.alpha() * err + agent.fee();
          correct[cell] = correctness(table, cols[j], i, err);
        }
      }
    }
    return new CostMatrix(agents, n, cost, correct);
  }

  private void checkTruth(DeferralTable table) {
    TaskKind kind = spec.kind();
    if (kind.hasLabels() && !table.hasLabels()) {
      throw new IllegalArgumentException(
          table.source() + ": a " + kind.specName() + " task needs a 'y' column");
    }
    if (kind.hasTargets() && !table.hasTargets()) {
      throw new IllegalArgumentException(
          table.source() + ": a " + kind.specName() + " task needs a 't' column");
    }
  }

  /**
   * The error part ρ of one agent on one row, before α and the fee; NaN when the agent did not see
   * the row.
   */
  public double error(DeferralTable table, AgentColumns cols, int i) {
    if (cols.hasCost()) {
      double c = cols.cost(i);
      if (!Double.isNaN(c)) {
        return c;
      }
      if (spec.kind() == TaskKind.COSTS) {
        return Double.NaN;
      }
    }
    CostWeights w = spec.cost();
    return switch (spec.kind()) {
      case CLASSIFICATION -> classError(table, cols, i, w);
      case REGRESSION -> regressionError(table, cols, i, w);
      case MULTITASK -> classError(table, cols, i, w) + regressionError(table, cols, i, w);
      case COSTS -> Double.NaN;
    };
  }

  private static double classError(DeferralTable table, AgentColumns cols, int i, CostWeights w) {
    int p = cols.predictedClass(i);
    if (p == AgentColumns.UNOBSERVED) {
      return Double.NaN;
    }
    return p == table.label(i) ? 0.0 : w.classification();
  }

  private static double regressionError(
      DeferralTable table, AgentColumns cols, int i, CostWeights w) {
    double v = cols.predictedValue(i);
    if (Double.isNaN(v)) {
      return Double.NaN;
    }
    return w.regression() * w.regressionError(v, table.target(i));
  }

  private byte correctness(DeferralTable table, AgentColumns cols, int i, double err) {
    if (spec.kind().hasLabels()) {
      int p = cols.predictedClass(i);
      if (p != AgentColumns.UNOBSERVED) {
        return p == table.label(i) ? (byte) 1 : (byte) 0;
      }
    }
    if (spec.kind() == TaskKind.COSTS || cols.hasCost() && !Double.isNaN(cols.cost(i))) {
      return err == 0.0 ? (byte) 1 : (byte) 0;
    }
    return CostMatrix.UNKNOWN;
  }
}
