package org.defer4j.core.model;

/**
 * A differentiable scorer s_θ : ℝ^d → ℝ^A, the model that learning-to-defer trains (DESIGN.md §6).
 *
 * <p><b>Parameters.</b> Every trainable parameter lives in one flat vector θ of length {@link
 * #parameterCount()}, returned live by {@link #parameters()}: optimizers update it in place and the
 * next forward pass sees the change. Gradients are accumulated into caller-owned vectors of the
 * same length and layout.
 *
 * <p><b>Rows.</b> Features are read in place from a row-major block (a {@link
 * org.defer4j.core.data.DeferralTable#featureBlock()}): row r starts at {@code r * inputDim()}.
 * Scores are written row-major, A per row.
 *
 * <p><b>Passes.</b> {@link #forward} then {@link #backward} / {@link #inputGradient} for one row;
 * {@link #forwardBatch} then {@link #backwardBatch} / {@link #inputGradientBatch} for a minibatch
 * (the efficient path for training: the batch path gives the same scores as the row path and the
 * sum of the row gradients, up to floating-point reassociation). A backward pass uses the state
 * recorded by the latest matching forward pass in the same workspace and the current parameters, so
 * do not update parameters between the two.
 *
 * <p><b>Penalty.</b> Each scorer carries an L2 coefficient λ ({@link ScorerSpec#l2()}); {@link
 * #penalty(double[])} returns (λ/2)·‖W‖² over the weights (biases excluded) and adds its gradient.
 * Trainers add it once per minibatch to the <em>mean</em> loss, so the objective is mean loss +
 * (λ/2)‖W‖².
 *
 * <p><b>Threads.</b> Forward and backward passes only read the parameters and write to the
 * workspace and the caller's output arrays; any number of threads may use one scorer concurrently,
 * each with its own {@link Workspace} and gradient vector, as long as nobody updates the parameters
 * meanwhile. Inputs are never modified. Inputs must be finite (deferral tables guarantee it); a
 * non-finite input propagates to the scores, where losses report it.
 */
public interface Scorer {
  /** d, the number of input features. */
  int inputDim();

  /** A, the number of scores. */
  int outputDim();

  /** The length of the parameter vector θ. */
  int parameterCount();

  /**
   * The live parameter vector θ (not a copy); its layout is documented by the implementing class
   * and by {@link ScorerState}. Writing to it changes the scorer.
   */
  double[] parameters();

  /** A deep copy with its own parameter vector. */
  Scorer copy();

  /**
   * Switches where the first layer's weights lie inside {@link #parameters()}: in the published
   * output-major order (weight (o, j) at {@code o·d + j} of the layer's block, the order of {@link
   * ScorerState} and of every artifact) when {@code on} is false, feature-major ({@code j·h + o}, h
   * the layer's outputs) when true. Feature-major lets the sparse-input kernels of {@link
   * #forwardBatch(SparseRows, int[], int, int, double[], Workspace)} and {@link #backwardBatch}
   * read and write each non-zero feature's weights contiguously; scores and gradients are the same
   * bit for bit. A minibatch fitter over sparse rows switches it on for its run of optimizer steps
   * (the optimizer updates θ and the gradient in the same order, element by element) and off before
   * anything else reads the parameters. While on, only that sparse batch forward, {@link
   * #backwardBatch} and {@link #penalty} may be called; the others throw {@link
   * IllegalStateException}. Do not switch between a forward pass and its backward pass.
   *
   * @return whether the scorer has the feature-major order; the default has not, and changes
   *     nothing
   */
  default boolean featureMajorFirstLayer(boolean on) {
    return false;
  }

  /** The architecture (kind, sizes, activation, L2 coefficient), without weights. */
  ScorerSpec spec();

  /** An immutable snapshot of architecture and weights, for artifacts. */
  ScorerState state();

  /** A fresh workspace for this scorer's architecture, to be used by one thread at a time. */
  Workspace newWorkspace();

  /**
   * A fresh workspace whose batch passes ({@link #forwardBatch}, {@link #backwardBatch}, {@link
   * #inputGradientBatch}) may split large batches over up to {@code threads} tasks of the common
   * fork-join pool. The workspace itself is still used by one calling thread at a time. Embedded
   * scorers give bit-for-bit the same results for every thread count; an implementation without
   * intra-batch parallelism may ignore the hint (the default).
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  default Workspace newWorkspace(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be > 0, got " + threads);
    }
    return newWorkspace();
  }

  /**
   * Scores one row: {@code scoresOut[0..A) = s_θ(x[xOffset .. xOffset + d))}. The row is copied
   * into the workspace for the backward pass.
   *
   * @throws IllegalArgumentException if the row or the output does not fit, or the workspace
   *     belongs to another architecture
   */
  void forward(double[] x, int xOffset, double[] scoresOut, Workspace ws);

  /**
   * Adds ∂L/∂θ = (∂s/∂θ)ᵀ · dLdScores for the row of the last {@link #forward} with {@code ws} to
   * {@code gradAccum}.
   *
   * @param dLdScores ∂L/∂s, length ≥ A (read)
   * @param gradAccum length {@link #parameterCount()} (accumulated into, not cleared)
   * @throws IllegalStateException if {@code ws} has seen no forward pass
   */
  void backward(double[] dLdScores, Workspace ws, double[] gradAccum);

  /**
   * Writes ∂L/∂x = (∂s/∂x)ᵀ · dLdScores for the row of the last {@link #forward} with {@code ws}
   * into {@code gradInputOut[0..d)} (overwritten).
   *
   * @throws IllegalStateException if {@code ws} has seen no forward pass
   */
  void inputGradient(double[] dLdScores, Workspace ws, double[] gradInputOut);

  /**
   * Scores the rows {@code rows[from .. from + count)} of the row-major block {@code features} (row
   * r at offset r·d), writing {@code count × A} scores row-major into {@code scoresOut} starting at
   * 0. The row indices are copied; {@code features} is read again by the backward pass and must not
   * change in between.
   *
   * @throws IllegalArgumentException on a row outside the block or an output too short
   */
  void forwardBatch(
      double[] features, int[] rows, int from, int count, double[] scoresOut, Workspace ws);

  /**
   * Scores the rows {@code rows[from .. from + count)} of a sparse feature block; otherwise as
   * {@link #forwardBatch(double[], int[], int, int, double[], Workspace)}, with the same scores
   * and, through {@link #backwardBatch}, the same gradients up to the order of floating-point
   * additions. The dense scorers do the first layer's arithmetic on the non-zeros only (forward and
   * weight gradient); the default copies the rows into a dense block.
   *
   * @throws IllegalArgumentException on a block with other than {@link #inputDim()} columns, or as
   *     the dense overload
   */
  default void forwardBatch(
      SparseRows features, int[] rows, int from, int count, double[] scoresOut, Workspace ws) {
    if (features.columns() != inputDim()) {
      throw new IllegalArgumentException(
          "a sparse block of " + features.columns() + " columns for " + inputDim() + " features");
    }
    forwardBatch(features.dense(rows, from, count), 0, count, scoresOut, ws);
  }

  /**
   * Scores {@code count} consecutive rows starting at row {@code firstRow} of {@code features};
   * otherwise as {@link #forwardBatch(double[], int[], int, int, double[], Workspace)}.
   */
  void forwardBatch(double[] features, int firstRow, int count, double[] scoresOut, Workspace ws);

  /**
   * Adds Σ_b (∂s_b/∂θ)ᵀ · dLdScores_b over the rows of the last {@link #forwardBatch} with {@code
   * ws} to {@code gradAccum}. {@code dLdScores} is {@code count × A} row-major; a trainer that
   * minimises the mean loss passes per-row gradients already divided by the batch size.
   *
   * @throws IllegalStateException if {@code ws} has seen no batch forward pass
   */
  void backwardBatch(double[] dLdScores, Workspace ws, double[] gradAccum);

  /**
   * Writes ∂L_b/∂x_b for every row b of the last {@link #forwardBatch} with {@code ws} into {@code
   * gradInputOut} ({@code count × d} row-major, overwritten).
   *
   * @throws IllegalStateException if {@code ws} has seen no batch forward pass
   */
  void inputGradientBatch(double[] dLdScores, Workspace ws, double[] gradInputOut);

  /**
   * Scores {@code count} consecutive rows starting at row {@code firstRow} of {@code features} into
   * {@code scoresOut} ({@code count × A} row-major from offset 0), in chunks of {@value
   * #SCORE_CHUNK} rows so that the workspace stays small whatever the count. For inference: it
   * overwrites the workspace's batch state.
   *
   * @throws IndexOutOfBoundsException if the rows are outside the block
   */
  default void scoreRows(
      double[] features, int firstRow, int count, double[] scoresOut, Workspace ws) {
    int a = outputDim();
    if ((long) count * a > scoresOut.length) {
      throw new IllegalArgumentException(
          "scores have length " + scoresOut.length + ", need " + ((long) count * a));
    }
    double[] chunk = new double[Math.min(count, SCORE_CHUNK) * a];
    for (int done = 0; done < count; done += SCORE_CHUNK) {
      int rows = Math.min(SCORE_CHUNK, count - done);
      forwardBatch(features, firstRow + done, rows, chunk, ws);
      System.arraycopy(chunk, 0, scoresOut, done * a, rows * a);
    }
  }

  /** Rows per chunk of {@link #scoreRows}. */
  int SCORE_CHUNK = 256;

  /**
   * Returns the L2 penalty (λ/2)·Σ w² over the weights (not the biases) and, when {@code gradAccum}
   * is not null, adds its gradient λ·w to the weight entries of {@code gradAccum}.
   */
  double penalty(double[] gradAccum);
}
