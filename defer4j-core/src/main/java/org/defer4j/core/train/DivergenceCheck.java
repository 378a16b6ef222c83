package org.defer4j.core.train;

import java.util.Arrays;
import java.util.Locale;
import org.defer4j.core.Checks;

/**
 * Stops a fit whose loss or parameter gradient is NaN or infinite (the shape of DJL's {@code
 * DivergenceCheckTrainingListener}), before the optimiser takes the step: a {@link
 * TrainingDivergedException} naming the epoch and batch and, where the loss can tell ({@link
 * BatchLoss#locateNonFinite}), the row with its loss, gradient and scores.
 */
final class DivergenceCheck implements FitListener {

  @Override
  public void onBatch(FitState fit) {
    if (Double.isFinite(fit.batchLoss())
        && (fit.gradientFinite || Checks.allFinite(fit.gradient()))) {
      return;
    }
    BatchLoss.NonFiniteRow r = fit.nonFiniteRow();
    if (r != null) {
      throw new TrainingDivergedException(
          String.format(
              Locale.ROOT,
              "non-finite loss %s or gradient %s at epoch %d, batch %d, row %d; scores %s",
              r.loss(),
              Arrays.toString(r.gradient()),
              fit.epoch(),
              fit.batch(),
              r.row(),
              Arrays.toString(r.scores())));
    }
    throw new TrainingDivergedException(
        String.format(
            Locale.ROOT,
            "non-finite %s at epoch %d, batch %d (batch loss %s)",
            Double.isFinite(fit.batchLoss()) ? "parameter gradient" : "loss",
            fit.epoch(),
            fit.batch(),
            fit.batchLoss()));
  }
}
