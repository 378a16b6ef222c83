package org.defer4j.core.train;

/**
 * Early stopping on the validation cost (the shape of DJL's {@code EarlyStoppingListener}): after
 * every epoch, keeps the parameters when the validation cost beat the best so far by more than
 * 1e-12, and stops the fit after {@code patience} epochs without such an improvement (patience 0:
 * never stops, still keeps the best epoch). Without validation every epoch counts as an
 * improvement, so the last parameters are kept. The first epoch is always kept.
 */
final class EarlyStopping implements FitListener {
  private final int patience;
  private Validation.Result best;
  private int sinceBest;

  /**
   * @param patience epochs without improvement before stopping; 0 never stops
   */
  EarlyStopping(int patience) {
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0, got " + patience);
    }
    this.patience = patience;
  }

  @Override
  public void onEpoch(FitState fit) {
    Validation.Result v = fit.validation();
    boolean improved = v == null || best == null || v.cost() < best.cost() - 1e-12;
    if (improved) {
      best = v;
      sinceBest = 0;
      fit.keep();
    } else {
      sinceBest++;
    }
    if (v != null && patience > 0 && sinceBest >= patience) {
      fit.stop();
    }
  }
}
