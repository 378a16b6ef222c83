package org.defer4j.core.train;

import java.util.ArrayList;
import java.util.List;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.TwoStageSurrogate;
import org.defer4j.core.task.TaskSpec;

/**
 * What a two-stage rejector may read from the frozen model besides x: its confidence, and its class
 * probabilities as extra input features.
 *
 * <p><b>Confidence as score 0.</b> The score-based two-stage surrogate of Mao et al. 2023 ({@code
 * 2s-sb}, survey eqs. 9–10) scores the agents with s̄ = (max_y h(x, y), r_1(x), …, r_J(x)): the
 * model's own score is its confidence, an input, not a learned output. The trainer and the fitted
 * model therefore overwrite score 0 with the frozen model's largest class probability max_k p_h(k |
 * x) (the {@code m.<model>.p.*} columns) and the trainer gives the learned output 0 no gradient, so
 * only r_1..r_J are learned. A row where the model is unobserved gets confidence 0; its cost is
 * unavailable, so the surrogate and the router mask it anyway.
 *
 * <p><b>Probabilities as features.</b> {@link #appendProbabilities} appends p_h(k | x), k = 0..K−1,
 * to x under the names {@code <model>.p.<class>}; a {@link DeferralModel} whose feature names end
 * with them appends them itself to tables that lack them ({@link #align}).
 */
public final class FrozenModelInputs {
  private FrozenModelInputs() {}

  /** Whether the surrogate reads the frozen model's confidence as score 0 ({@code 2s-sb}). */
  public static boolean usesModelConfidence(Surrogate surrogate) {
    return surrogate instanceof TwoStageSurrogate && surrogate.layout() == ScoreLayout.AGENTS;
  }

  /**
   * The frozen model's confidence max_k p_h(k | x) on every row (0 where it is unobserved).
   *
   * @throws IllegalArgumentException when the task has no frozen model or the table has no
   *     probability columns for it
   */
  public static double[] confidence(TaskSpec task, DeferralTable table) {
    AgentColumns m = probabilities(task, table, "2s-sb reads the model's confidence");
    double[] out = new double[table.rows()];
    for (int i = 0; i < out.length; i++) {
      double p = m.maxProbability(i);
      out[i] = Double.isNaN(p) ? 0.0 : p;
    }
    return out;
  }

  /** The names {@code <model>.p.<class>} of the appended probability features. */
  public static List<String> probabilityFeatureNames(TaskSpec task) {
    List<String> names = new ArrayList<>();
    for (String c : task.classes()) {
      names.add(task.model() + ".p." + c);
    }
    return names;
  }

  /**
   * The table with the frozen model's class probabilities appended to its features.
   *
   * @throws IllegalArgumentException when the task has no frozen model, the table has no
   *     probabilities for it, or a row's probabilities are unobserved (features must be finite)
   */
  public static DeferralTable appendProbabilities(TaskSpec task, DeferralTable table) {
    AgentColumns m = probabilities(task, table, "probability features need them");
    int n = table.rows();
    int d = table.featureCount();
    int k = task.classCount();
    if (m.probabilityClasses() != k) {
      throw new IllegalArgumentException(
          table.source()
              + ": the model has "
              + m.probabilityClasses()
              + " probability columns, the task has "
              + k
              + " classes");
    }
    double[] block = new double[n * (d + k)];
    double[] x = table.featureBlock();
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, i * d, block, i * (d + k), d);
      for (int c = 0; c < k; c++) {
        double p = m.probability(i, c);
        if (Double.isNaN(p)) {
          throw new IllegalArgumentException(
              table.source()
                  + ": row "
                  + i
                  + ", column m."
                  + task.model()
                  + ".p."
                  + task.classes().get(c)
                  + ": unobserved, so it cannot be an input feature");
        }
        block[i * (d + k) + d + c] = p;
      }
    }
    List<String> names = new ArrayList<>(table.featureNames());
    names.addAll(probabilityFeatureNames(task));
    return table.withFeatures(names, block);
  }

  /**
   * The table as a model with feature names {@code featureNames} reads it: unchanged when the names
   * match, with the frozen model's probabilities appended when the names are the table's plus
   * {@link #probabilityFeatureNames}; otherwise unchanged (the caller reports the mismatch).
   */
  public static DeferralTable align(TaskSpec task, DeferralTable table, List<String> featureNames) {
    if (table.featureNames().equals(featureNames) || !task.hasFrozenModel()) {
      return table;
    }
    List<String> extended = new ArrayList<>(table.featureNames());
    extended.addAll(probabilityFeatureNames(task));
    return extended.equals(featureNames) ? appendProbabilities(task, table) : table;
  }

  private static AgentColumns probabilities(TaskSpec task, DeferralTable table, String why) {
    if (!task.hasFrozenModel()) {
      throw new IllegalArgumentException("the task names no frozen model; " + why);
    }
    AgentColumns m = table.agent(task.model());
    if (!m.hasProbabilities()) {
      throw new IllegalArgumentException(
          table.source()
              + ": no m."
              + task.model()
              + ".p.<class> columns for the frozen model; "
              + why);
    }
    return m;
  }
}
