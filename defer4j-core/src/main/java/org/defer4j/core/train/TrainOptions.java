package org.defer4j.core.train;

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
 */
public record TrainOptions(
    Algorithm algorithm, double learningRate, int epochs, int batchSize, int patience, long seed) {

  /** Validates the options. */
  public TrainOptions {
    if (algorithm == null) {
      throw new IllegalArgumentException("algorithm must be given");
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

  /** Adam, learning rate 1e-3, 30 epochs, batch 128, patience 5, seed 0. */
  public static TrainOptions defaults() {
    return new TrainOptions(Algorithm.ADAM, 1e-3, 30, 128, 5, 0L);
  }

  /** A copy with another seed. */
  public TrainOptions withSeed(long s) {
    return new TrainOptions(algorithm, learningRate, epochs, batchSize, patience, s);
  }

  /** A copy with another number of epochs. */
  public TrainOptions withEpochs(int e) {
    return new TrainOptions(algorithm, learningRate, e, batchSize, patience, seed);
  }

  /** A copy with another algorithm. */
  public TrainOptions withAlgorithm(Algorithm a) {
    return new TrainOptions(a, learningRate, epochs, batchSize, patience, seed);
  }

  /** A copy with another learning rate. */
  public TrainOptions withLearningRate(double lr) {
    return new TrainOptions(algorithm, lr, epochs, batchSize, patience, seed);
  }

  /** A copy with another batch size. */
  public TrainOptions withBatchSize(int b) {
    return new TrainOptions(algorithm, learningRate, epochs, b, patience, seed);
  }

  /** A copy with another patience. */
  public TrainOptions withPatience(int p) {
    return new TrainOptions(algorithm, learningRate, epochs, batchSize, p, seed);
  }
}
