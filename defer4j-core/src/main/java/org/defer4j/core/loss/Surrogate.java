package org.defer4j.core.loss;

/**
 * A surrogate loss for learning to defer: value and gradient with respect to the raw scores of one
 * example.
 *
 * <p>Conventions, written down once for every implementation (DESIGN.md §5):
 *
 * <ul>
 *   <li>the loss is <b>minimised</b>, uses the <b>natural log</b>, and is <b>per example</b>
 *       (trainers average);
 *   <li>{@link #evaluate} returns the loss, <b>overwrites</b> {@code gradOut} with ∂loss/∂scores,
 *       and <b>never modifies</b> {@code scores} or the target;
 *   <li>the score vector follows the surrogate's {@link #layout()}; the number of experts J is the
 *       target's {@link Target#experts()}, and for layouts with classes K is derived from the score
 *       length;
 *   <li>an expert whose correctness or cost is NaN did not see the case: it is masked out (its
 *       score gets zero gradient and, where the surrogate normalises over options, it is dropped
 *       from the normalisation);
 *   <li>NaN or infinite scores are rejected with an {@link IllegalArgumentException}; a loss or
 *       gradient that would not be finite (only possible for the unbounded links with q &lt; 0 and
 *       the exponential margin, whose values genuinely exceed the double range) raises an {@link
 *       ArithmeticException} naming the surrogate and the scores, and leaves {@code gradOut} zero.
 * </ul>
 *
 * <p>Implementations are immutable and thread-safe. Obtain them from {@link Surrogates}.
 */
public interface Surrogate {
  /** The catalogue name, accepted back by {@link Surrogates#byName(String)}. */
  String name();

  /** How the score vector is laid out. */
  ScoreLayout layout();

  /** The length of the score vector for K classes and J experts. */
  default int scoreCount(int classes, int experts) {
    return layout().scoreCount(classes, experts);
  }

  /**
   * The loss of one example and its gradient.
   *
   * @param scores the raw scores, laid out as {@link #layout()} says; read only
   * @param target what the example says about label, agents and target value
   * @param gradOut receives ∂loss/∂scores; same length as {@code scores}; overwritten
   * @return the loss
   * @throws IllegalArgumentException on a shape mismatch, a non-finite score, a label outside [0,
   *     K) or a target the surrogate cannot use (for example costs above 1 where the formula needs
   *     1 − c ≥ 0)
   * @throws ArithmeticException when the loss overflows the double range
   */
  double evaluate(double[] scores, Target target, double[] gradOut);

  /** The loss alone (allocates a scratch gradient). */
  default double value(double[] scores, Target target) {
    return evaluate(scores, target, new double[scores.length]);
  }

  /**
   * The decision rule this surrogate is consistent with: which agent acts on a case with these
   * scores, ignoring availability (policies restrict to available agents).
   *
   * @param classes K (ignored by layouts without classes)
   * @param experts J
   * @return 0 when the model acts (predicts), j ∈ [1, J] when the case goes to expert j
   */
  int route(double[] scores, int classes, int experts);

  /**
   * This surrogate adapted to a task, for the few whose costs depend on the task's weights beyond
   * the per-row targets (the top-k surrogate's class entities); the others return themselves.
   */
  default Surrogate forTask(org.defer4j.core.task.TaskSpec task) {
    return this;
  }
}
