package org.defer4j.core.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.Agent;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.task.CostWeights;
import org.defer4j.core.task.RegressionLoss;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * A two-stage routing problem whose conditional expected costs are known exactly, for testing that
 * learned rejectors approach the Bayes rule argmin_j E[c_j | x] (seed paper Lemma 4.2; survey eq.
 * 15).
 *
 * <p>x is one of {@code cells} values, drawn uniformly and shown as a one-hot vector (so a linear
 * rejector can represent any function of x). Agent 0 is the frozen model {@code m}, agents 1..J the
 * experts {@code e1..eJ}. On a case in cell x, agent j errs with probability q_j(x): its error cell
 * {@code cost.<agent>} is 1 with that probability and 0 otherwise, and the task adds the fee β_j,
 * so E[c_j | x] = q_j(x) + β_j. Tables use the custom-cost task kind ({@code task: costs}).
 */
public final class DiscreteCostProblem {
  private final double[][] errorRate;
  private final double[] fees;
  private final int cells;

  /**
   * @param errorRate cells × A, q_j(x) ∈ [0, 1] for agents j = 0..J (0 = the model)
   * @param fees A fees β_j ≥ 0 (entry 0 is the model's, usually 0)
   */
  public DiscreteCostProblem(double[][] errorRate, double[] fees) {
    this.cells = errorRate.length;
    Checks.checkPositive("cells", cells);
    if (fees.length < 2) {
      throw new IllegalArgumentException("a routing problem needs the model and an expert");
    }
    this.errorRate = new double[cells][];
    for (int c = 0; c < cells; c++) {
      Checks.checkDimension("error rates of cell " + c, errorRate[c].length, fees.length);
      for (double q : errorRate[c]) {
        Checks.checkProbability("error rate", q);
      }
      this.errorRate[c] = errorRate[c].clone();
    }
    for (double f : fees) {
      Checks.checkNonNegative("fee", f);
    }
    this.fees = fees.clone();
  }

  /**
   * Error rates uniform on [0, 1] for every cell and agent, the model free, experts at {@code fee}.
   */
  public static DiscreteCostProblem random(
      int cells, int experts, double fee, SplittableRandom rng) {
    double[][] q = new double[cells][experts + 1];
    for (int c = 0; c < cells; c++) {
      for (int j = 0; j <= experts; j++) {
        q[c][j] = rng.nextDouble();
      }
    }
    double[] fees = new double[experts + 1];
    for (int j = 1; j <= experts; j++) {
      fees[j] = fee;
    }
    return new DiscreteCostProblem(q, fees);
  }

  /** Number of cells. */
  public int cells() {
    return cells;
  }

  /** Number of agents A = J + 1. */
  public int agents() {
    return fees.length;
  }

  /** The task: {@code task: costs}, model {@code m}, experts {@code e1..eJ} with their fees. */
  public TaskSpec task() {
    List<Agent> experts = new ArrayList<>();
    for (int j = 1; j < fees.length; j++) {
      experts.add(Agent.expert("e" + j, fees[j]));
    }
    return new TaskSpec(
        TaskKind.COSTS,
        List.of(),
        "m",
        experts,
        new CostWeights(0, 0, RegressionLoss.SMOOTH_L1, Double.POSITIVE_INFINITY),
        null);
  }

  /** E[c_j | x = cell] = q_j(cell) + β_j. */
  public double expectedCost(int cell, int agent) {
    return errorRate[cell][agent] + fees[agent];
  }

  /** The Bayes decision of a cell: argmin_j E[c_j | x] (lowest index on ties). */
  public int bayesDecision(int cell) {
    int best = 0;
    for (int j = 1; j < fees.length; j++) {
      if (expectedCost(cell, j) < expectedCost(cell, best)) {
        best = j;
      }
    }
    return best;
  }

  /** The Bayes risk: mean over cells of min_j E[c_j | x]. */
  public double bayesRisk() {
    double r = 0;
    for (int c = 0; c < cells; c++) {
      r += expectedCost(c, bayesDecision(c));
    }
    return r / cells;
  }

  /** The exact risk of one decision per cell (cells are equally likely). */
  public double risk(int[] decisionPerCell) {
    Checks.checkDimension("decisions", decisionPerCell.length, cells);
    double r = 0;
    for (int c = 0; c < cells; c++) {
      r += expectedCost(c, decisionPerCell[c]);
    }
    return r / cells;
  }

  /** Draws n cases: cell uniformly, each agent's error from its rate; the cell is the row's id. */
  public DeferralTable sample(int n, SplittableRandom rng) {
    int a = fees.length;
    double[] x = new double[n * cells];
    String[] ids = new String[n];
    double[][] err = new double[a][n];
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(cells);
      x[i * cells + c] = 1.0;
      ids[i] = Integer.toString(c);
      for (int j = 0; j < a; j++) {
        err[j][i] = rng.nextDouble() < errorRate[c][j] ? 1.0 : 0.0;
      }
    }
    return table("synthetic costs", n, x, ids, err);
  }

  /**
   * One row per cell, in cell order, with every agent's error 0 (all available): the table on which
   * a policy's decision per cell is read.
   */
  public DeferralTable cellTable() {
    double[] x = new double[cells * cells];
    String[] ids = new String[cells];
    for (int c = 0; c < cells; c++) {
      x[c * cells + c] = 1.0;
      ids[c] = Integer.toString(c);
    }
    return table("cells", cells, x, ids, new double[fees.length][cells]);
  }

  private DeferralTable table(String source, int n, double[] x, String[] ids, double[][] err) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < cells; c++) {
      names.add("c" + c);
    }
    DeferralTable.Builder b = DeferralTable.builder(source, n).features(names, x).ids(ids);
    for (int j = 0; j < fees.length; j++) {
      b.agent(j == 0 ? "m" : "e" + j, new AgentColumns(n, null, null, null, 0, err[j]));
    }
    return b.build();
  }
}
