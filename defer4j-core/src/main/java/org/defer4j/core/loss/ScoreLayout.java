package org.defer4j.core.loss;

/**
 * How a surrogate reads its score vector. K is the number of classes, J the number of experts, A =
 * J + 1 the number of agents (agent 0 = the model, agents 1..J = the experts, as in {@link
 * org.defer4j.core.agent.AgentSet}).
 */
public enum ScoreLayout {
  /**
   * One-stage score-based: {@code scores[0..K−1]} are the classes, {@code scores[K + j − 1]} is
   * "defer to expert j" for j = 1..J (survey eq. 17's K + J entities). Length K + J.
   */
  CLASSES_AND_EXPERTS,

  /**
   * One-stage predictor–rejector with one expert: {@code scores[0..K−1]} are the predictor's class
   * scores h, {@code scores[K]} is the rejector r (predict when r &gt; 0, defer when r ≤ 0; survey
   * eq. 2). Length K + 1.
   */
  CLASSES_AND_REJECTOR,

  /**
   * Two-stage routing: {@code scores[j]} is the score of agent j, j = 0 the frozen model. Length A.
   */
  AGENTS,

  /**
   * Two-stage predictor–rejector (Mao et al. 2023, survey eq. 11): {@code scores[j − 1]} is r_j(x)
   * for expert j = 1..J; the model acts when min_j r_j &gt; 0, otherwise the case goes to argmin_j
   * r_j. Length J.
   */
  EXPERT_REJECTORS,

  /**
   * Regression with deferral (survey eq. 14): {@code scores[0]} is the predictor's numeric output
   * h(x), {@code scores[1 + j]} the rejector's score for agent j = 0..J. Length 1 + A.
   */
  PREDICTION_AND_AGENTS;

  /**
   * The length of the score vector for K classes and J experts.
   *
   * @throws IllegalArgumentException when K or J is negative
   */
  public int scoreCount(int classes, int experts) {
    if (classes < 0 || experts < 0) {
      throw new IllegalArgumentException(
          "classes and experts must be >= 0, got " + classes + " and " + experts);
    }
    return switch (this) {
      case CLASSES_AND_EXPERTS -> classes + experts;
      case CLASSES_AND_REJECTOR -> classes + 1;
      case AGENTS -> experts + 1;
      case EXPERT_REJECTORS -> experts;
      case PREDICTION_AND_AGENTS -> experts + 2;
    };
  }

  /** Whether the layout holds class scores (so K must be known). */
  public boolean hasClasses() {
    return this == CLASSES_AND_EXPERTS || this == CLASSES_AND_REJECTOR;
  }
}
