package org.defer4j.core.loss;

import org.defer4j.core.Checks;

/**
 * The target (0-1 style) deferral losses of the L2D survey: what a deferral system actually pays on
 * one example, as opposed to the smooth surrogates minimised in training. Metrics report these;
 * surrogates are judged by how well minimising them minimises these.
 *
 * <p>Layouts (0-based):
 *
 * <ul>
 *   <li><b>Score-based</b> scores: classes 0..K−1, then one deferral entity per expert K..K+J−1
 *       (with a single expert, index K is ⊥). The action is the argmax.
 *   <li><b>Predictor–rejector / agents</b> scores: agent 0 is the model (predictor), agents 1..J
 *       the experts; the choice is r*(x) = argmax_j r(x, j).
 *   <li><b>Top-k entities</b> (eq. 17): entities 0..K−1 are the classes, K..K+J−1 the experts.
 * </ul>
 *
 * Every argmax breaks ties towards the lowest index. Scores and costs must not be NaN (an error,
 * with a message); scores may be infinite. Costs of agents that are not chosen may be NaN
 * (unavailable): they do not enter the loss, as their indicator is 0; a chosen agent must have a
 * finite cost.
 */
public final class TargetLosses {
  private TargetLosses() {}

  /**
   * Survey eq. 1, the score-based target loss with one expert: {@code 1[a* ≠ y]·1[a* ≠ ⊥] + c(x,
   * y)·1[a* = ⊥]} with {@code a* = argmax_a s(x, a)} over K classes and ⊥ (index K).
   *
   * @param scores K + 1 scores, the last one for deferral
   * @param y the true class in 0..K−1
   * @param deferralCost c(x, y) ≥ 0, e.g. 1[expert wrong] plus a fee
   */
  public static double scoreBased(double[] scores, int y, double deferralCost) {
    return scoreBased(scores, y, new double[] {deferralCost});
  }

  /**
   * Survey eq. 1 extended to J experts (Verma et al. 2023): the 0-1 loss of the predicted class
   * when the argmax is a class, else the cost of the chosen expert.
   *
   * @param scores K + J scores: K classes then J deferral entities
   * @param y the true class in 0..K−1
   * @param expertCosts J costs c_j(x, y) ≥ 0 (NaN allowed for experts that are not chosen)
   */
  public static double scoreBased(double[] scores, int y, double[] expertCosts) {
    int j = expertCosts.length;
    if (j == 0) {
      throw new IllegalArgumentException("score-based loss needs at least one expert cost");
    }
    int k = scores.length - j;
    if (k < 1) {
      throw new IllegalArgumentException(
          "scores have length " + scores.length + ", expected K + J with K >= 1 and J = " + j);
    }
    Checks.checkIndex("true class", y, k);
    int a = argmax("scores", scores);
    if (a < k) {
      return a == y ? 0.0 : 1.0;
    }
    return chosenCost(expertCosts, a - k, "expert " + (a - k + 1));
  }

  /**
   * Survey eq. 2, the predictor–rejector target loss: {@code 1[h(x) ≠ y]·1[r(x) > 0] + c(x,
   * y)·1[r(x) ≤ 0]}; the predictor answers when the rejector's score is positive.
   *
   * @param predictedClass h(x)
   * @param rejectorScore r(x)
   * @param y the true class
   * @param deferralCost c(x, y) ≥ 0
   */
  public static double predictorRejector(
      int predictedClass, double rejectorScore, int y, double deferralCost) {
    checkNotNaN("rejector score", rejectorScore);
    if (rejectorScore > 0) {
      return predictedClass == y ? 0.0 : 1.0;
    }
    return checkCost("deferral cost", deferralCost);
  }

  /**
   * Survey eq. 13, the multi-expert predictor–rejector target loss (regression with deferral, Mao
   * et al. 2024): {@code L(h(x), y)·1[r*(x) = 0] + Σ_{j≥1} c_j(x, y)·1[r*(x) = j]}.
   *
   * @param predictorLoss L(h(x), y) ≥ 0, e.g. the predictor's (clipped) regression loss or 0-1 loss
   * @param rejectorScores J + 1 scores r(x, j), index 0 the predictor
   * @param expertCosts J costs c_j(x, y) ≥ 0 of experts 1..J
   */
  public static double multiExpert(
      double predictorLoss, double[] rejectorScores, double[] expertCosts) {
    Checks.checkDimension("rejector scores", rejectorScores.length, expertCosts.length + 1);
    int r = argmax("rejector scores", rejectorScores);
    if (r == 0) {
      return checkCost("predictor loss", predictorLoss);
    }
    return chosenCost(expertCosts, r - 1, "expert " + r);
  }

  /**
   * Survey eq. 15, the two-stage / multi-task target loss {@code Σ_{j=0}^{J} c_j · 1[r(x) = j]}:
   * the cost of the chosen agent.
   *
   * @param agentCosts A costs c_j (NaN allowed for agents that are not chosen)
   * @param chosenAgent r(x)
   */
  public static double agentCost(double[] agentCosts, int chosenAgent) {
    Checks.checkIndex("chosen agent", chosenAgent, agentCosts.length);
    return chosenCost(agentCosts, chosenAgent, "agent " + chosenAgent);
  }

  /**
   * Survey eq. 15 with the choice made by a rejector: the cost of {@code argmax_j r(x, j)}.
   *
   * @param rejectorScores A scores r(x, j)
   * @param agentCosts A costs c_j (NaN allowed for agents that are not chosen)
   */
  public static double agentCost(double[] rejectorScores, double[] agentCosts) {
    Checks.checkDimension("agent costs", agentCosts.length, rejectorScores.length);
    return agentCost(agentCosts, argmax("rejector scores", rejectorScores));
  }

  /**
   * Survey eq. 17, the entity costs of top-k deferral (Montreuil et al. 2025): {@code c̃_j(x, y) =
   * α̃_j·1[a_j(x) ≠ y] + β_j}, where a_j(x) = j for a class entity j &lt; K and the expert's
   * prediction for entity K + (j−1).
   *
   * @param classes K
   * @param expertPredictions J classes predicted by experts 1..J
   * @param y the true class
   * @param alpha K + J error weights α̃_j ≥ 0
   * @param beta K + J consultation costs β_j ≥ 0 (usually 0 for classes)
   * @return K + J entity costs
   */
  public static double[] entityCosts(
      int classes, int[] expertPredictions, int y, double[] alpha, double[] beta) {
    Checks.checkPositive("classes", classes);
    int m = classes + expertPredictions.length;
    Checks.checkDimension("alpha", alpha.length, m);
    Checks.checkDimension("beta", beta.length, m);
    Checks.checkIndex("true class", y, classes);
    double[] out = new double[m];
    for (int j = 0; j < m; j++) {
      Checks.checkNonNegative("alpha[" + j + "]", alpha[j]);
      Checks.checkNonNegative("beta[" + j + "]", beta[j]);
      int a = j < classes ? j : expertPredictions[j - classes];
      out[j] = alpha[j] * (a == y ? 0.0 : 1.0) + beta[j];
    }
    return out;
  }

  /**
   * Survey eq. 18, the top-k score-based target loss {@code Σ_{j ∈ H_k(x)} c̃_j(x, y)}: the summed
   * cost of the k highest-scored entities. k = 1 recovers eq. 1 with cost-sensitive entities.
   *
   * @param scores the entity scores s(x, j)
   * @param entityCosts the entity costs (eq. 17), NaN allowed outside the selected set
   * @param k the set size, 1 ≤ k ≤ number of entities
   */
  public static double topK(double[] scores, double[] entityCosts, int k) {
    Checks.checkDimension("entity costs", entityCosts.length, scores.length);
    double sum = 0;
    for (int j : topKSet(scores, k)) {
      sum += chosenCost(entityCosts, j, "entity " + j);
    }
    return sum;
  }

  /**
   * The top-k set H_k(x): indices of the k largest scores, in decreasing score order (ties to the
   * lower index).
   */
  public static int[] topKSet(double[] scores, int k) {
    if (k < 1 || k > scores.length) {
      throw new IllegalArgumentException("k must be in [1, " + scores.length + "], got " + k);
    }
    for (int j = 0; j < scores.length; j++) {
      checkNotNaN("scores[" + j + "]", scores[j]);
    }
    int[] out = new int[k];
    boolean[] taken = new boolean[scores.length];
    for (int t = 0; t < k; t++) {
      int best = -1;
      for (int j = 0; j < scores.length; j++) {
        if (!taken[j] && (best < 0 || scores[j] > scores[best])) {
          best = j;
        }
      }
      taken[best] = true;
      out[t] = best;
    }
    return out;
  }

  private static int argmax(String what, double[] scores) {
    if (scores.length == 0) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    int best = 0;
    for (int j = 0; j < scores.length; j++) {
      checkNotNaN(what + "[" + j + "]", scores[j]);
      if (scores[j] > scores[best]) {
        best = j;
      }
    }
    return best;
  }

  private static double chosenCost(double[] costs, int j, String who) {
    double c = costs[j];
    if (Double.isNaN(c)) {
      throw new IllegalArgumentException(
          "the chosen " + who + " has no cost (NaN: unavailable); its loss is undefined");
    }
    return checkCost("cost of " + who, c);
  }

  private static double checkCost(String what, double c) {
    if (!(c >= 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException(what + " must be finite and >= 0, got " + c);
    }
    return c;
  }

  private static void checkNotNaN(String what, double v) {
    if (Double.isNaN(v)) {
      throw new IllegalArgumentException(what + " is NaN");
    }
  }
}
