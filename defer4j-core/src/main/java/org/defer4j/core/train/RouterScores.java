package org.defer4j.core.train;

import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.ScoreLayout;

/**
 * A learned deferral model read as a two-model router: per row, how strongly it prefers one expert
 * (the strong model) over the model (the weak one), the score that a quality–cost curve sweeps a
 * threshold over ({@link org.defer4j.core.metric.QualityCostCurve}).
 *
 * <ul>
 *   <li>Agent layout (two-stage {@code 2s-sb}, {@code 2s-comp:ν}, {@code 2s-psi:…}): s_j − s_0.
 *   <li>Score-based layout (one-stage): s_{⊥j} − max_k s_k.
 *   <li>Predictor–rejector layout ({@code 2s-pr}): −r_j, since the rejector defers to j when r_j is
 *       the smallest and ≤ 0 (Mao et al. 2023, survey eq. 11).
 * </ul>
 *
 * With a single expert and no threshold, the agent and score-based scores are {@link
 * DeferralModel#rejectionScores}; unlike that method they ignore availability, because a routing
 * curve asks for the preference itself.
 */
public final class RouterScores {
  private RouterScores() {}

  /**
   * The router score of every row of a prepared table (features as the model expects them).
   *
   * @param model the fitted model
   * @param table the rows
   * @param expert the strong agent's index, 1..J
   * @throws IllegalArgumentException for a layout with no per-expert preference, or a bad index
   */
  public static double[] of(DeferralModel model, DeferralTable table, int expert) {
    int experts = model.task().experts().size();
    Checks.checkIndex("expert", expert - 1, experts);
    int classes = model.task().classCount();
    ScoreLayout layout = model.surrogate().layout();
    double[] s = model.scores(table);
    int n = table.rows();
    int width = s.length / Math.max(n, 1);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      int o = i * width;
      out[i] =
          switch (layout) {
            case AGENTS -> s[o + expert] - s[o];
            case EXPERT_REJECTORS -> -s[o + expert - 1];
            case CLASSES_AND_EXPERTS -> s[o + classes - 1 + expert] - maxClass(s, o, classes);
            default ->
                throw new IllegalArgumentException(
                    "surrogate "
                        + model.surrogate().name()
                        + " (layout "
                        + layout
                        + ") has no per-expert routing score");
          };
    }
    return out;
  }

  /** {@link #of(DeferralModel, DeferralTable, int)}; the cost matrix only checks the row count. */
  public static double[] of(
      DeferralModel model, DeferralTable table, CostMatrix costs, int expert) {
    Checks.checkDimension("cost matrix rows", costs.rows(), table.rows());
    return of(model, table, expert);
  }

  private static double maxClass(double[] s, int o, int classes) {
    double m = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < classes; k++) {
      m = Math.max(m, s[o + k]);
    }
    return m;
  }
}
