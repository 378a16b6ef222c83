package org.defer4j.core.train;

/**
 * The per-row objective a fitter minimises: the loss of row {@code row} given the scorer's scores
 * for it, with its gradient with respect to those scores. Implementations bind a surrogate to the
 * rows' targets; the fitter knows nothing of tasks or surrogates.
 *
 * <p>The loss must be a function of {@code row} and {@code scores} alone: after a non-finite batch
 * the fitter evaluates the batch's rows again to name the one at fault. {@link ScorerFitter} turns
 * it into a {@link BatchLoss}, the weighted mean over each minibatch.
 */
@FunctionalInterface
public interface RowLoss {
  /**
   * @param row the row index in the training set
   * @param scores the row's A scores (read only)
   * @param gradOut overwritten with dL/dscores (length A)
   * @return the loss (finite for a well-posed problem; the fitter stops on anything else)
   */
  double evaluate(int row, double[] scores, double[] gradOut);
}
