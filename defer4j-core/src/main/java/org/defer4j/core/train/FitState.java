package org.defer4j.core.train;

import java.util.function.Supplier;
import org.defer4j.core.model.Scorer;

/**
 * What the {@link FitListener}s of a running fit see: where the fit is (epoch, batch), the last
 * batch's loss and parameter gradient, the epoch's training loss and validation result, and the
 * parameters kept as the fit's result. Listeners may {@link #keep()} the current parameters and
 * {@link #stop()} the fit. Owned by {@link ScorerFitter}; valid only during the fit, on its thread.
 *
 * <p>L-BFGS reports every objective evaluation as batch {@link #batch()} of epoch 1, and the run as
 * one epoch numbered by its iteration count.
 */
public final class FitState {
  private final Scorer scorer;
  private final int maxEpochs;
  private final int batchesPerEpoch;
  private final double[] gradient;
  private double[] kept;
  private int keptEpoch;
  private Validation.Result keptValidation;
  private boolean stop;

  int epoch;
  int batch;
  double batchLoss = Double.NaN;
  double trainLoss = Double.NaN;
  Validation.Result validation;
  Supplier<BatchLoss.NonFiniteRow> locator = () -> null;

  /** Set by the fitter when it has found the batch's gradient finite itself (no scan needed). */
  boolean gradientFinite;

  FitState(Scorer scorer, int maxEpochs, int batchesPerEpoch, double[] gradient) {
    this.scorer = scorer;
    this.maxEpochs = maxEpochs;
    this.batchesPerEpoch = batchesPerEpoch;
    this.gradient = gradient;
  }

  /** The scorer being fitted; its {@link Scorer#parameters()} are the live parameters. */
  public Scorer scorer() {
    return scorer;
  }

  /** The most epochs the fit runs (L-BFGS: iterations). */
  public int maxEpochs() {
    return maxEpochs;
  }

  /** Minibatches per epoch (1 for L-BFGS). */
  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /** The current epoch, 1-based (0 before the first). */
  public int epoch() {
    return epoch;
  }

  /** The current minibatch of the epoch, 0-based (L-BFGS: the objective evaluation, 1-based). */
  public int batch() {
    return batch;
  }

  /** The last batch's loss, penalty included. */
  public double batchLoss() {
    return batchLoss;
  }

  /**
   * The last batch's parameter gradient, live (read only): the penalty's gradient included and the
   * frozen parameters' entries zero.
   */
  public double[] gradient() {
    return gradient;
  }

  /** In {@link FitListener#onEpoch}: the epoch's mean training loss. */
  public double trainLoss() {
    return trainLoss;
  }

  /** In {@link FitListener#onEpoch}: the epoch's validation result, or null without validation. */
  public Validation.Result validation() {
    return validation;
  }

  /**
   * For a non-finite batch loss or gradient: the first row of the batch at fault, or null when the
   * loss cannot tell (a {@link BatchLoss} over the whole batch) or every row is finite.
   */
  public BatchLoss.NonFiniteRow nonFiniteRow() {
    return locator.get();
  }

  /**
   * Keeps the current parameters as the fit's result (so far); the fitter restores the last kept
   * ones when it ends, or leaves the last parameters when none were kept.
   */
  public void keep() {
    double[] p = scorer.parameters();
    if (kept == null) {
      kept = new double[p.length];
    }
    System.arraycopy(p, 0, kept, 0, p.length);
    keptEpoch = epoch;
    keptValidation = validation;
  }

  /** The epoch whose parameters were last kept, 0 if none. */
  public int keptEpoch() {
    return keptEpoch;
  }

  /** The validation result of the kept parameters, or null. */
  public Validation.Result keptValidation() {
    return keptValidation;
  }

  /** Asks the fit to stop after the current epoch. */
  public void stop() {
    stop = true;
  }

  /** Whether a listener asked the fit to stop. */
  public boolean stopping() {
    return stop;
  }

  /** The current epoch's log: {@link EpochLog#improved()} says whether its parameters were kept. */
  public EpochLog epochLog() {
    return new EpochLog(epoch, trainLoss, validation, keptEpoch == epoch && kept != null);
  }

  /** Copies the kept parameters back into the scorer, if any were kept. */
  void restoreKept() {
    if (kept != null) {
      System.arraycopy(kept, 0, scorer.parameters(), 0, kept.length);
    }
  }

  boolean hasKept() {
    return kept != null;
  }
}
