package org.defer4j.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.loss.BinaryCrossEntropy;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.CompareConfidence;
import org.defer4j.core.policy.ModelConfidence;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.task.TaskSpec;

/**
 * Fits the {@link CompareConfidence} baseline (Raghu et al. 2019): for every expert j, a logistic
 * regression of "expert j is correct" on the case's features, fitted by {@link ScorerFitter}
 * (linear scorer, one output, the {@link BinaryCrossEntropy} loss). The model is not trained here:
 * its confidence comes from the given {@link ModelConfidence} (the frozen model's probabilities, or
 * a trained one-stage policy's classifier).
 *
 * <p>Per expert j the training rows are those where j was observed (its correctness e_j = 1[expert
 * answer = y], from the task's {@link CostModel}, is known); rows where j did not see the case are
 * masked out — they get no gradient and do not count in the mean — never counted as errors
 * (DESIGN.md §4). Sample weights of the training table weight the mean. The inputs go through the
 * {@link FeaturePipeline} that the {@link FeatureOptions} (by default: standardised {@code x.*})
 * fit on the training table. With a validation table, each expert's fit is early-stopped on its
 * mean cross-entropy over the validation rows where that expert was observed; the validation table
 * is read only for that.
 *
 * <p>Determinism: a {@link SplittableRandom} seeded with {@link TrainOptions#seed()} gives, expert
 * by expert, one split for the initial weights and one seed for the fitter, so the same inputs give
 * the same policy bit for bit.
 */
public final class CompareConfidenceTrainer implements Trainer<CompareConfidence> {
  private final ModelConfidence model;
  private final TrainOptions options;
  private final FeatureOptions features;

  /**
   * @param model where the policy reads the model's confidence
   * @param options optimiser, epochs, batch, patience and seed of each expert's fit
   */
  public CompareConfidenceTrainer(ModelConfidence model, TrainOptions options) {
    this(model, options, FeatureOptions.defaults());
  }

  private CompareConfidenceTrainer(
      ModelConfidence model, TrainOptions options, FeatureOptions features) {
    if (model == null || options == null || features == null) {
      throw new IllegalArgumentException(
          "compare-confidence training needs a model confidence, options and feature options");
    }
    this.model = model;
    this.options = options;
    this.features = features;
  }

  /**
   * Fits compare-confidence on a training table with the default features (standardised {@code
   * x.*}) and no validation table.
   *
   * @param task a classification task with at least one expert
   * @param train the training rows: features, {@code y} and the experts' answers
   * @param model where the policy reads the model's confidence
   * @param options how each expert model is fitted
   * @return the fitted policy, named {@value CompareConfidence#NAME}
   * @throws IllegalArgumentException when the task is not classification or has no expert, the
   *     model source does not fit the task, the table has no features or lacks {@code y}, or an
   *     expert was never observed
   */
  public static CompareConfidence fit(
      TaskSpec task, DeferralTable train, ModelConfidence model, TrainOptions options) {
    return new CompareConfidenceTrainer(model, options)
        .fit(task, train, (DeferralTable) null, (TrainingListener) null);
  }

  /** A copy of this trainer with other feature options. */
  public CompareConfidenceTrainer withFeatures(FeatureOptions f) {
    return new CompareConfidenceTrainer(model, options, f);
  }

  /** The feature options. */
  public FeatureOptions features() {
    return features;
  }

  /**
   * Fits compare-confidence.
   *
   * @param task a classification task with at least one expert
   * @param train the training rows
   * @param validation rows for early stopping each expert model, or null
   * @param listener progress receiver, or null
   * @throws IllegalArgumentException as {@link #fit(TaskSpec, DeferralTable, ModelConfidence,
   *     TrainOptions)}
   */
  @Override
  public CompareConfidence fit(
      TaskSpec task, DeferralTable train, DeferralTable validation, TrainingListener listener) {
    CompareConfidence.checkTask(task);
    model.checkFits(task);
    if (!train.hasLabels()) {
      throw new IllegalArgumentException(
          train.source() + ": compare-confidence needs a 'y' column to judge the experts");
    }
    FeaturePipeline pipeline = features.fit(task, train);
    int d = pipeline.dimension();
    if (d == 0) {
      throw new IllegalArgumentException(
          train.source()
              + ": compare-confidence learns P(expert correct | x) from the case's features, but"
              + " the table has no x.* features");
    }
    double[] x = pipeline.transform(train);
    double[] vx = validation == null ? null : pipeline.transform(validation);
    CostMatrix costs = new CostModel(task).costs(train, null);
    CostMatrix vcosts = validation == null ? null : new CostModel(task).costs(validation, null);
    double[] weights = weights(train);
    SplittableRandom rng = new SplittableRandom(options.seed());
    List<Scorer> scorers = new ArrayList<>();
    Map<String, String> opts = new LinkedHashMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    int epochs = 0;
    int bestEpoch = 0;
    for (int j = 1; j <= task.experts().size(); j++) {
      String name = task.experts().get(j - 1).name();
      double[] e = correctness(costs, j);
      int[] rows = observedRows(e);
      if (rows.length == 0) {
        throw new IllegalArgumentException(
            train.source()
                + ": expert '"
                + name
                + "' is observed on no training row, so its probability of being correct cannot"
                + " be learned");
      }
      ScorerSpec spec = ScorerSpec.linear(d, 1);
      Scorer scorer = Scorers.create(spec, rng.split());
      long fitSeed = rng.nextLong();
      RowLoss loss = (row, scores, grad) -> BinaryCrossEntropy.evaluate(scores, e[row], grad);
      Validation val = null;
      if (validation != null) {
        double[] ve = correctness(vcosts, j);
        if (observedRows(ve).length > 0) {
          val = s -> crossEntropy(s, vx, ve, validation.rows());
        }
      }
      FitResult r =
          new ScorerFitter(options.withSeed(fitSeed))
              .fit(scorer, x, rows, weights, loss, val, listener);
      scorers.add(scorer);
      epochs = Math.max(epochs, r.epochs());
      bestEpoch = Math.max(bestEpoch, r.bestEpoch());
      opts.put("train_rows." + name, Integer.toString(rows.length));
      if (r.best() != null) {
        metrics.put("validation_cross_entropy." + name, r.best().cost());
        metrics.put("validation_correctness_accuracy." + name, r.best().accuracy());
      }
    }
    opts.put("model_confidence", model.name());
    opts.putAll(TrainingProvenance.options(options, ScorerSpec.linear(d, 1), features));
    Provenance prov =
        TrainingProvenance.of(
            CompareConfidence.NAME, options, epochs, bestEpoch, train.rows(), opts, metrics);
    return new CompareConfidence(task, pipeline, scorers, model, prov);
  }

  /** e_j per row: 1 when expert j was right, 0 when wrong, NaN when it did not see the row. */
  private static double[] correctness(CostMatrix costs, int j) {
    double[] e = new double[costs.rows()];
    for (int i = 0; i < e.length; i++) {
      byte c = costs.correct(i, j);
      e[i] = c == CostMatrix.UNKNOWN ? Double.NaN : c;
    }
    return e;
  }

  private static int[] observedRows(double[] e) {
    int m = 0;
    for (double v : e) {
      if (!Double.isNaN(v)) {
        m++;
      }
    }
    int[] rows = new int[m];
    int k = 0;
    for (int i = 0; i < e.length; i++) {
      if (!Double.isNaN(e[i])) {
        rows[k++] = i;
      }
    }
    return rows;
  }

  private static double[] weights(DeferralTable t) {
    if (!t.hasWeights()) {
      return null;
    }
    double[] w = new double[t.rows()];
    for (int i = 0; i < w.length; i++) {
      w[i] = t.weight(i);
    }
    return w;
  }

  /**
   * Mean cross-entropy and accuracy of [P̂ &gt; 1/2] on the rows where the expert was observed
   * (unweighted: early stopping only compares epochs).
   */
  private static Validation.Result crossEntropy(Scorer s, double[] x, double[] e, int n) {
    double[] logit = new double[n];
    s.scoreRows(x, 0, n, logit, s.newWorkspace());
    double[] g = new double[1];
    double total = 0;
    int m = 0;
    int right = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(e[i])) {
        continue;
      }
      total += BinaryCrossEntropy.evaluate(logit[i], e[i], g, 0);
      if ((logit[i] > 0) == (e[i] > 0.5)) {
        right++;
      }
      m++;
    }
    return new Validation.Result(total / m, right / (double) m);
  }

  @Override
  public String toString() {
    return "CompareConfidenceTrainer[" + model.name() + ", " + options + "]";
  }
}
