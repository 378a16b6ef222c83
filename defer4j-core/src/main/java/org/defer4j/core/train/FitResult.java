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
 */
public record FitResult(
    int epochs,
    int bestEpoch,
    Validation.Result best,
    List<EpochLog> history,
    boolean stoppedEarly) {
  /** Copies the history. */
  public FitResult {
    history = List.copyOf(history);
  }
}
