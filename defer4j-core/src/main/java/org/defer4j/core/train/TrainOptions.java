package org.defer4j.core.train;

import java.util.Locale;
import org.defer4j.core.Checks;

/**
 * How to fit a scorer.
 *
 * @param algorithm Adam, SGD with momentum, or full-batch L-BFGS
 * @param learningRate step size of Adam and SGD (ignored by L-BFGS)
 * @param epochs maximum number of passes over the training rows (L-BFGS: maximum iterations)
 * @param batchSize rows per minibatch (ignored by L-BFGS)
 * @param patience epochs without validation improvement before stopping; 0 disables early stopping
 * @param seed seed of initialisation and shuffling
 * @param precision the arithmetic of a minibatch fit's passes and steps; the fitted parameters are
 *     float64 either way
 */
public record TrainOptions(
    Algorithm algorithm,
    double learningRate,
    int epochs,
    int batchSize,
    int patience,
    long seed,
    Precision precision) {

  /** Validates the options. */
  public TrainOptions {
    if (algorithm == null) {
      throw new IllegalArgumentException("algorithm must be given");
    }
    if (precision == null) {
      throw new IllegalArgumentException("precision must be given");
    }
    if (precision == Precision.FLOAT32 && algorithm != Algorithm.ADAM) {
      throw new IllegalArgumentException(
          "float32 precision is implemented for the adam optimizer, not "
              + algorithm.name().toLowerCase(Locale.ROOT));
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be finite and > 0, got " + learningRate);
    }
    Checks.checkPositive("epochs", epochs);
    Checks.checkPositive("batch size", batchSize);
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, got " + patience);
    }
  }

  /** Options in {@link Precision#FLOAT64}. */
  public TrainOptions(
      Algorithm algorithm,
      double learningRate,
      int epochs,
      int batchSize,
      int patience,
      long seed) {
    this(algorithm, learningRate, epochs, batchSize, patience, seed, Precision.FLOAT64);
  }

  /** The default learning rate (Adam). */
  public static final double DEFAULT_LEARNING_RATE = 3e-3;

  /** The default epoch budget (and L-BFGS iteration budget). */
  public static final int DEFAULT_EPOCHS = 100;

  /** The default minibatch size. */
  public static final int DEFAULT_BATCH_SIZE = 128;

  /** The default patience of early stopping. */
  public static final int DEFAULT_PATIENCE = 10;

  /** The fewest minibatch steps {@link #defaultEpochs} allows a small training table. */
  public static final int DEFAULT_MIN_STEPS = 2000;

  /**
   * Adam, learning rate 3e-3, 100 epochs, batch 128, patience 10, seed 0: the setting of the
   * defaults study in docs/results.md ("Training defaults"), chosen as the one that beats the best
   * single agent on every bundled table where any candidate does. See {@link #defaultsFor} for the
   * epoch budget of small tables.
   */
  public static TrainOptions defaults() {
    return new TrainOptions(
        Algorithm.ADAM,
        DEFAULT_LEARNING_RATE,
        DEFAULT_EPOCHS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_PATIENCE,
        0L);
  }

  /**
   * {@link #defaults()} with the epoch budget of {@link #defaultEpochs} for {@code rows} training
   * rows.
   */
  public static TrainOptions defaultsFor(int rows) {
    return defaults().withEpochs(defaultEpochs(rows, DEFAULT_BATCH_SIZE));
  }

  /**
   * The default epoch budget of a minibatch fit on {@code rows} rows: {@value #DEFAULT_EPOCHS}
   * epochs, or more on a small table, so that the optimiser takes at least {@value
   * #DEFAULT_MIN_STEPS} steps ({@code max(100, ceil(2000 / ceil(rows / batch)))}: 2,000 epochs for
   * 80 rows). Early stopping still ends the fit when a validation table stops improving; without
   * one, 100 epochs of one step each left a linear scorer far from its optimum in the study.
   *
   * @throws IllegalArgumentException when rows or batchSize is not positive
   */
  public static int defaultEpochs(int rows, int batchSize) {
    Checks.checkPositive("rows", rows);
    Checks.checkPositive("batch size", batchSize);
    long batches = ((long) rows + batchSize - 1) / batchSize;
    return (int) Math.max(DEFAULT_EPOCHS, (DEFAULT_MIN_STEPS + batches - 1) / batches);
  }

  /** A copy with another seed. */
  public TrainOptions withSeed(long s) {
    return new TrainOptions(algorithm, learningRate, epochs, batchSize, patience, s, precision);
  }

  /** A copy with another number of epochs. */
  public TrainOptions withEpochs(int e) {
    return new TrainOptions(algorithm, learningRate, e, batchSize, patience, seed, precision);
  }

  /** A copy with another algorithm. */
  public TrainOptions withAlgorithm(Algorithm a) {
    return new TrainOptions(a, learningRate, epochs, batchSize, patience, seed, precision);
  }

  /** A copy with another learning rate. */
  public TrainOptions withLearningRate(double lr) {
    return new TrainOptions(algorithm, lr, epochs, batchSize, patience, seed, precision);
  }

  /** A copy with another batch size. */
  public TrainOptions withBatchSize(int b) {
    return new TrainOptions(algorithm, learningRate, epochs, b, patience, seed, precision);
  }

  /** A copy with another patience. */
  public TrainOptions withPatience(int p) {
    return new TrainOptions(algorithm, learningRate, epochs, batchSize, p, seed, precision);
  }

  /** A copy with another precision. */
  public TrainOptions withPrecision(Precision p) {
    return new TrainOptions(algorithm, learningRate, epochs, batchSize, patience, seed, p);
  }
}
