package org.defer4j.core.train;

import java.util.Map;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.model.Scorer;

/**
 * A change to the training objective of {@link DeferralTrainer} that needs more than one row's
 * scores — the scorer itself and its inputs, as adversarial training does when it perturbs the
 * inputs of every minibatch ({@code org.defer4j.core.robust.Sard}). The trainer builds its
 * surrogate's weighted-mean batch loss as usual and hands it to {@link #extend}; the extended loss
 * is what the one training loop ({@link ScorerFitter}) minimises.
 */
public interface LossExtension {
  /** The prefix of the trained policy's method name, e.g. {@code sard-r}. */
  String name();

  /** The extension's settings, recorded in the policy's provenance. */
  Map<String, String> options();

  /**
   * The extended loss.
   *
   * @param surrogate the trainer's surrogate
   * @param loss the surrogate's batch loss (weighted mean over the minibatch)
   * @param scorer the scorer being fitted (live: its parameters change between calls)
   * @param inputs the row-major n × d training inputs the fitter reads (after the feature pipeline)
   * @param costs the training rows' per-agent costs
   */
  BatchLoss extend(
      Surrogate surrogate, BatchLoss loss, Scorer scorer, double[] inputs, CostMatrix costs);
}
