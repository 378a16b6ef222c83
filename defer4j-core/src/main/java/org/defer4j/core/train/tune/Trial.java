package org.defer4j.core.train.tune;

/**
 * What one tuning trial gave.
 *
 * @param index the trial's number (0 is the setting the search starts from)
 * @param setting its hyperparameters
 * @param validationCost the validation system cost of its policy; NaN when it failed
 * @param validationAccuracy the validation system accuracy; NaN when undefined or failed
 * @param epochs epochs run
 * @param bestEpoch the epoch kept
 * @param seconds wall seconds of its fit
 * @param error why it failed (one line), or null
 */
public record Trial(
    int index,
    TrialSetting setting,
    double validationCost,
    double validationAccuracy,
    int epochs,
    int bestEpoch,
    double seconds,
    String error) {

  /** Whether the trial produced a policy. */
  public boolean succeeded() {
    return error == null && Double.isFinite(validationCost);
  }
}
