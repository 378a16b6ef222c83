package org.defer4j.core.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.policy.Provenance;

/**
 * What a surrogate-minimising trainer records in its policy's {@link Provenance}, assembled once
 * for {@link DeferralTrainer}, {@link CompareConfidenceTrainer} and the trainers of other engines
 * (defer4j-spark's {@code DistributedTrainer}), so that a policy trained by any of them carries the
 * same keys in the same order.
 */
public final class TrainingProvenance {
  private TrainingProvenance() {}

  /**
   * The training options every such trainer records, in this order: {@code learning_rate}, {@code
   * batch_size}, {@code patience}, {@code max_epochs}, {@code scorer}, {@code standardize}, {@code
   * model_probabilities}, then {@code precision} for a float32 fit.
   *
   * @return a new mutable map, so that the trainer appends its own options after these
   */
  public static Map<String, String> options(
      TrainOptions options, ScorerSpec scorer, FeatureOptions features) {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("learning_rate", Double.toString(options.learningRate()));
    opts.put("batch_size", Integer.toString(options.batchSize()));
    opts.put("patience", Integer.toString(options.patience()));
    opts.put("max_epochs", Integer.toString(options.epochs()));
    opts.put("scorer", scorer.toString());
    opts.put("standardize", Boolean.toString(features.standardize()));
    opts.put("model_probabilities", Boolean.toString(features.modelProbabilities()));
    if (options.precision() != Precision.FLOAT64) {
      opts.put("precision", options.precision().label());
    }
    return opts;
  }

  /**
   * The provenance of a fitted policy: the optimiser and seed from {@code options}, no data hash,
   * version or time (the caller that knows the file adds them with {@link Provenance#withSource}).
   *
   * @param method the method's name as the policy reports it
   * @param options the training options
   * @param epochs epochs (L-BFGS: iterations) run
   * @param bestEpoch the epoch whose parameters were kept
   * @param trainRows training rows
   * @param opts the recorded options ({@link #options} and the trainer's own)
   * @param metrics metrics known at training time, or an empty map
   */
  public static Provenance of(
      String method,
      TrainOptions options,
      int epochs,
      int bestEpoch,
      int trainRows,
      Map<String, String> opts,
      Map<String, Double> metrics) {
    return new Provenance(
        method,
        options.algorithm().name().toLowerCase(Locale.ROOT),
        options.seed(),
        epochs,
        bestEpoch,
        trainRows,
        "",
        "",
        "",
        opts,
        metrics);
  }

  /**
   * The validation metrics recorded with a policy, in this order: {@code validation_rows}, {@code
   * validation_system_cost}, {@code validation_system_accuracy}, {@code validation_coverage}.
   */
  public static Map<String, Double> validationMetrics(
      long rows, double systemCost, double systemAccuracy, double coverage) {
    Map<String, Double> v = new LinkedHashMap<>();
    v.put("validation_rows", (double) rows);
    v.put("validation_system_cost", systemCost);
    v.put("validation_system_accuracy", systemAccuracy);
    v.put("validation_coverage", coverage);
    return v;
  }
}
