package org.defer4j.core.optim;

/**
 * A first-order minibatch optimizer that updates a flat parameter vector in place from a gradient
 * of the objective to minimise (for instance a {@link org.defer4j.core.model.Scorer}'s {@code
 * parameters()} and the gradient its backward pass accumulated).
 *
 * <p>An optimizer holds per-coordinate state (moments, velocity) for vectors of one fixed {@link
 * #dimension()}; it is not thread-safe.
 */
public interface Optimizer {
  /**
   * Takes one step: reads {@code grad}, updates {@code params} in place. Nothing is changed when
   * the gradient has a non-finite entry.
   *
   * @throws IllegalArgumentException if a length differs from {@link #dimension()}
   * @throws ArithmeticException naming the step and the index when {@code grad} holds a NaN or an
   *     infinity
   */
  void step(double[] params, double[] grad);

  /**
   * As {@link #step}, for a caller that has just checked every entry of {@code grad} is finite (a
   * fitter's divergence check does, before each step): implementations may skip their own scan of
   * the gradient. Given a non-finite entry, the parameters and the state are then undefined.
   *
   * @throws IllegalArgumentException if a length differs from {@link #dimension()}
   */
  default void stepFinite(double[] params, double[] grad) {
    step(params, grad);
  }

  /** The length of the vectors this optimizer updates. */
  int dimension();

  /** Steps taken since construction or the last {@link #reset()}. */
  long steps();

  /** The current learning rate. */
  double learningRate();

  /**
   * Changes the learning rate for the following steps (schedules, warm restarts); the optimizer's
   * state is kept.
   *
   * @throws IllegalArgumentException unless {@code learningRate} is finite and &gt; 0
   */
  void setLearningRate(double learningRate);

  /** Forgets the state (moments, velocity, step count), as if freshly constructed. */
  void reset();
}
