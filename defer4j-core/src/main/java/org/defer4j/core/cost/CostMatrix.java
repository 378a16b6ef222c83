package org.defer4j.core.cost;

import java.util.Arrays;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.AgentSet;

/**
 * The per-case costs over agents, n × A: {@code cost(i, j)} is what giving case i to agent j costs
 * (α_j · error + β_j, DESIGN.md §2). A cell is <em>unavailable</em> (NaN) when the agent did not
 * see the case; a policy may not choose it and training masks it out.
 *
 * <p>Next to the cost, each cell records whether the agent's answer was correct (1), wrong (0) or
 * has no notion of correctness (−1, e.g. regression), which accuracy metrics read.
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class CostMatrix {
  /** Correctness code for "no notion of correct" or unavailable. */
  public static final byte UNKNOWN = -1;

  private final AgentSet agents;
  private final int rows;
  private final double[] cost;
  private final byte[] correct;

  /**
   * @param agents the agents, in column order
   * @param rows n
   * @param cost n × A row-major costs, NaN where unavailable
   * @param correct n × A row-major correctness codes (1, 0 or {@link #UNKNOWN})
   * @throws IllegalArgumentException on a shape mismatch or a negative or infinite cost
   */
  public CostMatrix(AgentSet agents, int rows, double[] cost, byte[] correct) {
    int a = agents.size();
    Checks.checkDimension("cost matrix", cost.length, rows * a);
    Checks.checkDimension("correctness matrix", correct.length, rows * a);
    for (int i = 0; i < cost.length; i++) {
      double c = cost[i];
      if (!Double.isNaN(c) && !(c >= 0 && c < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "cost of row "
                + (i / a)
                + ", agent '"
                + agents.get(i % a).name()
                + "' is "
                + c
                + "; costs must be finite and >= 0");
      }
    }
    this.agents = agents;
    this.rows = rows;
    this.cost = cost.clone();
    this.correct = correct.clone();
  }

  /** The agents, in column order. */
  public AgentSet agents() {
    return agents;
  }

  /** Number of rows n. */
  public int rows() {
    return rows;
  }

  /** Number of agents A. */
  public int agentCount() {
    return agents.size();
  }

  /** The cost of giving row {@code i} to agent {@code j}; NaN when unavailable. */
  public double cost(int i, int j) {
    return cost[i * agents.size() + j];
  }

  /** Whether agent {@code j} is available for row {@code i}. */
  public boolean available(int i, int j) {
    return !Double.isNaN(cost[i * agents.size() + j]);
  }

  /** 1 when agent {@code j} answered row {@code i} correctly, 0 when wrongly, −1 when unknown. */
  public byte correct(int i, int j) {
    return correct[i * agents.size() + j];
  }

  /** A copy of row {@code i}'s costs (NaN where unavailable). */
  public double[] row(int i) {
    int a = agents.size();
    return Arrays.copyOfRange(cost, i * a, (i + 1) * a);
  }

  /** Copies row {@code i}'s costs into {@code out} (length A). */
  public void row(int i, double[] out) {
    int a = agents.size();
    System.arraycopy(cost, i * a, out, 0, a);
  }

  /** The cheapest available agent of row {@code i} (lowest index on ties), −1 when none is. */
  public int cheapest(int i) {
    int a = agents.size();
    int best = -1;
    for (int j = 0; j < a; j++) {
      double c = cost[i * a + j];
      if (!Double.isNaN(c) && (best < 0 || c < cost[i * a + best])) {
        best = j;
      }
    }
    return best;
  }

  /** The rows {@code rowIndices}, in that order. */
  public CostMatrix select(int[] rowIndices) {
    int a = agents.size();
    double[] c = new double[rowIndices.length * a];
    byte[] k = new byte[rowIndices.length * a];
    for (int i = 0; i < rowIndices.length; i++) {
      System.arraycopy(cost, rowIndices[i] * a, c, i * a, a);
      System.arraycopy(correct, rowIndices[i] * a, k, i * a, a);
    }
    return new CostMatrix(agents, rowIndices.length, c, k);
  }
}
