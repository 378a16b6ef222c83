package org.defer4j.core.loss;

import java.util.Arrays;
import java.util.Locale;
import org.defer4j.core.cost.CostMatrix;

/**
 * What one training example tells a surrogate: the true label, each agent's correctness and cost,
 * and the numeric target.
 *
 * <p><b>Indexing.</b> Both arrays are indexed by <em>agent</em>, exactly like the columns of a
 * {@link CostMatrix} and of an {@link org.defer4j.core.agent.AgentSet}: index 0 is the model,
 * indices 1..J are the experts. The number of agents A = J + 1 is the array length. (In the
 * one-stage score layout, agent j ≥ 1 is scored at {@code scores[K + j − 1]}; see {@link
 * ScoreLayout}.)
 *
 * <ul>
 *   <li>{@code label} y ∈ [0, K) — the true class, or {@link #NO_LABEL} for two-stage and
 *       regression targets.
 *   <li>{@code correct[j]} e_j ∈ [0, 1] — 1 when agent j answered correctly, 0 when wrongly (values
 *       in between are allowed as soft correctness); <b>NaN means agent j did not see the case</b>.
 *       {@code null} when the example carries no correctness at all.
 *   <li>{@code costs[j]} c_j ≥ 0 — what giving the case to agent j costs (error part plus fee);
 *       <b>NaN means unavailable</b>. {@code null} when the example carries no costs.
 *   <li>{@code value} t — the numeric target of regression tasks, NaN when there is none.
 * </ul>
 *
 * <p><b>Unobserved is not wrong</b> (DESIGN.md §4): a NaN correctness or cost masks the agent out
 * of the example's loss — its score gets neither reward nor penalty, and for every surrogate that
 * normalises over agents the loss equals the loss of the problem without that agent.
 *
 * <p>Derived quantities, used when a surrogate needs the other field: the cost of agent j is {@code
 * costs[j]} when the target carries costs, otherwise the 0-1 cost 1 − e_j; the correctness of agent
 * j is {@code correct[j]} when the target carries correctness, otherwise 1 − c_j (which requires
 * c_j ∈ [0, 1]).
 *
 * <p>Immutable: arrays are copied in and out; hot loops read single entries through {@link
 * #correct(int)} and {@link #cost(int)}.
 */
public record Target(int label, double[] correct, double[] costs, double value) {
  /** Label of targets that have none (two-stage, regression). */
  public static final int NO_LABEL = -1;

  /**
   * @throws IllegalArgumentException when both arrays are missing, their lengths differ, a
   *     correctness lies outside [0, 1], a cost is negative or infinite, the label is below −1 or
   *     the value is infinite
   */
  public Target {
    if (correct == null && costs == null) {
      throw new IllegalArgumentException("a target needs per-agent correctness or costs");
    }
    if (correct != null && costs != null && correct.length != costs.length) {
      throw new IllegalArgumentException(
          "correctness has "
              + correct.length
              + " agents but costs have "
              + costs.length
              + "; both are indexed by agent (0 = model)");
    }
    int a = correct != null ? correct.length : costs.length;
    if (a < 1) {
      throw new IllegalArgumentException("a target needs at least agent 0 (the model)");
    }
    if (label < NO_LABEL) {
      throw new IllegalArgumentException("label must be >= 0 (or NO_LABEL), got " + label);
    }
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException("target value must be finite or NaN, got " + value);
    }
    if (correct != null) {
      correct = correct.clone();
      for (int j = 0; j < a; j++) {
        double e = correct[j];
        if (!Double.isNaN(e) && !(e >= 0 && e <= 1)) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT, "correctness of agent %d must be in [0, 1] or NaN, got %s", j, e));
        }
      }
    }
    if (costs != null) {
      costs = costs.clone();
      for (int j = 0; j < a; j++) {
        double c = costs[j];
        if (!Double.isNaN(c) && !(c >= 0 && c < Double.POSITIVE_INFINITY)) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT, "cost of agent %d must be finite and >= 0 or NaN, got %s", j, c));
        }
      }
    }
  }

  /**
   * A one-stage classification target from expert correctness.
   *
   * @param label the true class y
   * @param expertCorrect e_j for experts j = 1..J at positions 0..J−1 (NaN = did not see the case)
   */
  public static Target classification(int label, double... expertCorrect) {
    double[] correct = new double[expertCorrect.length + 1];
    correct[0] = Double.NaN;
    System.arraycopy(expertCorrect, 0, correct, 1, expertCorrect.length);
    return new Target(requireLabel(label), correct, null, Double.NaN);
  }

  /**
   * A one-stage classification target from the classes the experts predicted.
   *
   * @param label the true class y
   * @param expertPredictions the class expert j = 1..J predicted, at position j − 1; a negative
   *     entry means the expert did not see the case
   */
  public static Target fromExpertPredictions(int label, int... expertPredictions) {
    double[] e = new double[expertPredictions.length];
    for (int j = 0; j < e.length; j++) {
      int p = expertPredictions[j];
      e[j] = p < 0 ? Double.NaN : (p == label ? 1.0 : 0.0);
    }
    return classification(label, e);
  }

  /**
   * A cost target (two-stage routing, or one-stage cost-sensitive losses).
   *
   * @param label the true class, or {@link #NO_LABEL}
   * @param agentCosts c_j for agents j = 0..J (0 = model; NaN = unavailable)
   */
  public static Target ofCosts(int label, double... agentCosts) {
    return new Target(label, null, agentCosts, Double.NaN);
  }

  /** A two-stage cost target without a label: {@code ofCosts(NO_LABEL, agentCosts)}. */
  public static Target ofCosts(double... agentCosts) {
    return ofCosts(NO_LABEL, agentCosts);
  }

  /**
   * A regression-with-deferral target.
   *
   * @param value the true numeric target t
   * @param agentCosts c_j for agents j = 0..J; entry 0 is ignored by surrogates that compute the
   *     model's cost from its own prediction (use NaN there)
   */
  public static Target regression(double value, double... agentCosts) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("regression target must be finite, got " + value);
    }
    return new Target(NO_LABEL, null, agentCosts, value);
  }

  /**
   * Row {@code row} of a cost matrix as a target: its costs, and its correctness codes (1, 0,
   * unknown → NaN).
   *
   * @param label the row's true class or {@link #NO_LABEL}
   * @param value the row's numeric target or NaN
   */
  public static Target fromCostMatrix(CostMatrix matrix, int row, int label, double value) {
    int a = matrix.agentCount();
    double[] e = new double[a];
    for (int j = 0; j < a; j++) {
      byte code = matrix.correct(row, j);
      e[j] = code == CostMatrix.UNKNOWN ? Double.NaN : code;
    }
    return new Target(label, e, matrix.row(row), value);
  }

  private static int requireLabel(int label) {
    if (label < 0) {
      throw new IllegalArgumentException("classification label must be >= 0, got " + label);
    }
    return label;
  }

  /** Number of agents A = J + 1 (model included). */
  public int agents() {
    return correct != null ? correct.length : costs.length;
  }

  /** Number of experts J = A − 1. */
  public int experts() {
    return agents() - 1;
  }

  /** Whether the target carries per-agent correctness. */
  public boolean hasCorrectness() {
    return correct != null;
  }

  /** Whether the target carries per-agent costs. */
  public boolean hasCosts() {
    return costs != null;
  }

  /** Whether the target has a label. */
  public boolean hasLabel() {
    return label != NO_LABEL;
  }

  /** A copy of the correctness array, or null. */
  @Override
  public double[] correct() {
    return correct == null ? null : correct.clone();
  }

  /** A copy of the cost array, or null. */
  @Override
  public double[] costs() {
    return costs == null ? null : costs.clone();
  }

  /**
   * The correctness e_j of agent {@code j}: {@code correct[j]} when present, otherwise 1 − c_j; NaN
   * when the agent is unobserved.
   *
   * @throws IllegalArgumentException when it must be derived from a cost outside [0, 1]
   */
  public double correct(int j) {
    if (correct != null) {
      return correct[j];
    }
    double c = costs[j];
    if (c > 1) {
      throw new IllegalArgumentException(
          "agent "
              + j
              + " has cost "
              + c
              + " > 1, so its correctness 1 - c is undefined; give the target explicit"
              + " correctness or use a cost-based surrogate (lsf, moe, 2s-comp)");
    }
    return 1.0 - c;
  }

  /**
   * The cost c_j of agent {@code j}: {@code costs[j]} when present, otherwise the 0-1 cost 1 − e_j;
   * NaN when the agent is unavailable.
   */
  public double cost(int j) {
    return costs != null ? costs[j] : 1.0 - correct[j];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target t
        && label == t.label
        && Arrays.equals(correct, t.correct)
        && Arrays.equals(costs, t.costs)
        && Double.compare(value, t.value) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * label + Arrays.hashCode(correct)) + Arrays.hashCode(costs))
        + Double.hashCode(value);
  }

  @Override
  public String toString() {
    return "Target[label="
        + label
        + ", correct="
        + Arrays.toString(correct)
        + ", costs="
        + Arrays.toString(costs)
        + ", value="
        + value
        + "]";
  }
}
