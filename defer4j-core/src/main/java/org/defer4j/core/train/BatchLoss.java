package org.defer4j.core.train;

import java.util.Arrays;

/**
 * The objective of one minibatch as a whole, for losses that are not a sum of independent row terms
 * — triage fine-tuning, for one, assigns the rows of each minibatch to the model or to the experts
 * by comparing them with each other. A per-row {@link RowLoss} is the common special case; {@link
 * ScorerFitter} adapts it to this interface (weighted mean over the batch).
 *
 * <p>Layout: the batch is {@code rows[from .. from + count)}; batch row i has its A scores at
 * {@code scores[i·A .. (i+1)·A)} and its gradient at the same place in {@code dScores}. The loss is
 * minimised; the fitter adds the scorer's L2 penalty to it.
 */
@FunctionalInterface
public interface BatchLoss {
  /**
   * The loss of one minibatch.
   *
   * @param rows row indices into the feature block (read only)
   * @param from position of the batch's first row in {@code rows}
   * @param count number of rows in the batch
   * @param scores count × A scores, row-major in batch order (read only)
   * @param dScores count × A, overwritten with ∂L/∂scores of the returned batch loss L (so a mean
   *     over the batch is already divided by its size)
   * @return L (finite for a well-posed problem; the fitter stops on anything else)
   */
  double evaluate(int[] rows, int from, int count, double[] scores, double[] dScores);

  /**
   * Adds to {@code gradAccum} the part of ∂L/∂θ of the latest {@link #evaluate} that does not flow
   * through the batch's scores: a loss that also scores perturbed copies of the inputs (adversarial
   * training) back-propagates those passes itself and hands their gradient over here. The fitter
   * calls it right after back-propagating {@code dScores}. Default: nothing to add.
   *
   * @param gradAccum the parameter gradient of the batch (accumulated into)
   */
  default void addParameterGradient(double[] gradAccum) {}

  /**
   * Whether the loss runs passes of the scorer being fitted itself (with its float64 parameters),
   * beyond the scores handed to {@link #evaluate}: adversarial training does. A loss that hands a
   * gradient to {@link #addParameterGradient} must return true. A float32 fit, whose live
   * parameters are a float32 copy and which does not call {@link #addParameterGradient}, refuses
   * such a loss. Default: false.
   */
  default boolean readsScorer() {
    return false;
  }

  /**
   * After a non-finite batch loss or gradient: the first row of the batch whose own loss or
   * gradient is not finite, so that the error can name it. A loss over the whole batch cannot tell,
   * and returns null (the default).
   *
   * @param rows as in {@link #evaluate}
   * @param from as in {@link #evaluate}
   * @param count as in {@link #evaluate}
   * @param scores as in {@link #evaluate}
   */
  default NonFiniteRow locateNonFinite(int[] rows, int from, int count, double[] scores) {
    return null;
  }

  /**
   * A row whose loss or gradient is not finite.
   *
   * @param row the row index (as in {@code rows})
   * @param loss its loss
   * @param gradient its ∂loss/∂scores (copied)
   * @param scores its scores (copied)
   */
  record NonFiniteRow(int row, double loss, double[] gradient, double[] scores) {
    /** Copies the arrays. */
    public NonFiniteRow {
      gradient = gradient.clone();
      scores = scores.clone();
    }

    @Override
    public double[] gradient() {
      return gradient.clone();
    }

    @Override
    public double[] scores() {
      return scores.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NonFiniteRow r
          && r.row == row
          && Double.compare(r.loss, loss) == 0
          && Arrays.equals(r.gradient, gradient)
          && Arrays.equals(r.scores, scores);
    }

    @Override
    public int hashCode() {
      return (row * 31 + Double.hashCode(loss)) * 31 + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
      return "NonFiniteRow[row="
          + row
          + ", loss="
          + loss
          + ", gradient="
          + Arrays.toString(gradient)
          + ", scores="
          + Arrays.toString(scores)
          + "]";
    }
  }
}
