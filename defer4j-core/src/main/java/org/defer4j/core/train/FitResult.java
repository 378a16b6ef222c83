package org.defer4j.core.train;

import java.util.List;

/**
 * What a fit did.
 *
 * @param epochs epochs (or L-BFGS iterations) run
 * @param bestEpoch the epoch whose parameters were kept (the last one without validation)
 * @param best the validation result of the kept parameters, or null without validation
 * @param history one entry per epoch
 * @param stoppedEarly whether early stopping ended the fit
 * @param rowsProcessed training rows passed forward and backward through the scorer: rows × epochs
 *     for the minibatch algorithms, rows × loss evaluations for L-BFGS (0 when not recorded)
 * @param seconds wall-clock seconds of the fit, validation included (0 when not recorded)
 */
public record FitResult(
    int epochs,
    int bestEpoch,
    Validation.Result best,
    List<EpochLog> history,
    boolean stoppedEarly,
    long rowsProcessed,
    double seconds) {
  /** Copies the history. */
  public FitResult {
    history = List.copyOf(history);
  }

  /** A result without throughput figures (rows processed and seconds 0). */
  public FitResult(
      int epochs,
      int bestEpoch,
      Validation.Result best,
      List<EpochLog> history,
      boolean stoppedEarly) {
    this(epochs, bestEpoch, best, history, stoppedEarly, 0, 0);
  }

  /** Training rows per second of the fit ({@link #rowsProcessed} / {@link #seconds}), or NaN. */
  public double rowsPerSecond() {
    return seconds > 0 ? rowsProcessed / seconds : Double.NaN;
  }
}
