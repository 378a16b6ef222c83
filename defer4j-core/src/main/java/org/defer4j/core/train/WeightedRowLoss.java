package org.defer4j.core.train;

/**
 * A {@link RowLoss} as a {@link BatchLoss}: the weighted mean Σ_i (w_i / Σ_j w_j) · L_i over the
 * batch, with gradient (w_i / Σ_j w_j) · ∂L_i/∂s_i per row. Because it is a sum of row terms, the
 * fitter may also evaluate it over the whole training set in chunks against the total weight
 * ({@link #sum}). Holds scratch for one row; one instance per fit, used by one thread.
 */
final class WeightedRowLoss implements BatchLoss {
  private final RowLoss loss;
  private final double[] weights;
  private final int a;
  private final double[] rowScores;
  private final double[] rowGrad;

  /**
   * @param loss the per-row loss
   * @param weights per-row weights indexed like the feature block, or null for unit weights
   * @param outputs A, the scores per row
   */
  WeightedRowLoss(RowLoss loss, double[] weights, int outputs) {
    this.loss = loss;
    this.weights = weights;
    this.a = outputs;
    this.rowScores = new double[outputs];
    this.rowGrad = new double[outputs];
  }

  @Override
  public double evaluate(int[] rows, int from, int count, double[] scores, double[] dScores) {
    return sum(rows, from, count, weight(rows, from, count), scores, dScores);
  }

  /** Σ_i w_i over {@code rows[from .. from + count)}. */
  double weight(int[] rows, int from, int count) {
    double wSum = 0;
    for (int i = 0; i < count; i++) {
      wSum += weights == null ? 1.0 : weights[rows[from + i]];
    }
    return wSum;
  }

  /**
   * Σ_i (w_i / wSum) · L_i over the slice, with the matching gradient in {@code dScores}; {@code
   * wSum} is the slice's weight for a minibatch, the whole set's for a chunk of a full-batch pass.
   */
  double sum(int[] rows, int from, int count, double wSum, double[] scores, double[] dScores) {
    double total = 0;
    for (int i = 0; i < count; i++) {
      int row = rows[from + i];
      System.arraycopy(scores, i * a, rowScores, 0, a);
      double l = loss.evaluate(row, rowScores, rowGrad);
      double w = (weights == null ? 1.0 : weights[row]) / wSum;
      total += w * l;
      for (int k = 0; k < a; k++) {
        dScores[i * a + k] = w * rowGrad[k];
      }
    }
    return total;
  }

  @Override
  public NonFiniteRow locateNonFinite(int[] rows, int from, int count, double[] scores) {
    for (int i = 0; i < count; i++) {
      int row = rows[from + i];
      System.arraycopy(scores, i * a, rowScores, 0, a);
      double l = loss.evaluate(row, rowScores, rowGrad);
      boolean ok = Double.isFinite(l);
      for (int k = 0; ok && k < a; k++) {
        ok = Double.isFinite(rowGrad[k]);
      }
      if (!ok) {
        System.arraycopy(scores, i * a, rowScores, 0, a);
        return new NonFiniteRow(row, l, rowGrad, rowScores);
      }
    }
    return null;
  }
}
