package org.defer4j.core.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Target;
import org.defer4j.core.metric.DeferralMetrics;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.task.TaskSpec;

/**
 * Learns a deferral model by minimising a surrogate over a scorer (DESIGN.md §5–6).
 *
 * <ul>
 *   <li><b>One-stage</b> (the task names no frozen model; surrogate layouts with class scores): the
 *       classifier and the deferral are learned jointly. Per row, the target is the label and each
 *       expert's correctness and cost; an expert that did not see the row is masked out.
 *   <li><b>Two-stage</b> (the task names a frozen model recorded in the table; the agent layouts):
 *       only the allocation is learned, from each agent's cost on the row.
 * </ul>
 *
 * Early stopping watches the validation target loss (mean system cost, survey eq. 15). Training
 * never sees the validation table except through that criterion and the optional threshold, and
 * never sees a test table.
 */
public final class DeferralTrainer {
  /** How to build the scorer: linear, or an MLP (hidden sizes, activation), with an L2 penalty. */
  public interface ScorerFactory {
    /** The scorer spec for d inputs and S outputs. */
    ScorerSpec spec(int inputs, int outputs);
  }

  private final Surrogate surrogate;
  private final ScorerFactory scorerFactory;
  private final TrainOptions options;
  private final boolean tuneThreshold;
  private final boolean modelProbabilities;

  /**
   * @param surrogate the surrogate to minimise
   * @param scorerFactory the scorer architecture
   * @param options optimiser, epochs, batch, patience and seed
   * @param tuneThreshold whether to tune a rejection threshold on the validation table
   */
  public DeferralTrainer(
      Surrogate surrogate,
      ScorerFactory scorerFactory,
      TrainOptions options,
      boolean tuneThreshold) {
    this(surrogate, scorerFactory, options, tuneThreshold, false);
  }

  private DeferralTrainer(
      Surrogate surrogate,
      ScorerFactory scorerFactory,
      TrainOptions options,
      boolean tuneThreshold,
      boolean modelProbabilities) {
    this.modelProbabilities = modelProbabilities;
    this.surrogate = surrogate;
    this.scorerFactory = scorerFactory;
    this.options = options;
    this.tuneThreshold = tuneThreshold;
    if (tuneThreshold && !DeferralModel.supportsThreshold(surrogate.layout())) {
      throw new IllegalArgumentException(
          "surrogate " + surrogate.name() + " has no rejection score to put a threshold on");
    }
  }

  /**
   * A copy of this trainer whose rejector also reads the frozen model's class probabilities ({@code
   * m.<model>.p.*}) as input features, appended to x ({@link
   * FrozenModelInputs#appendProbabilities}); the fitted model appends them itself when it scores a
   * table. Two-stage only.
   */
  public DeferralTrainer withModelProbabilities() {
    return new DeferralTrainer(surrogate, scorerFactory, options, tuneThreshold, true);
  }

  /**
   * Fits a model.
   *
   * @param task the task (its frozen model decides one- or two-stage)
   * @param train training rows
   * @param validation validation rows for early stopping and the threshold, or null
   * @param listener progress receiver
   * @throws IllegalArgumentException when the surrogate does not fit the task (e.g. a two-stage
   *     surrogate without a frozen model), or the tables' features differ
   */
  public DeferralModel fit(
      TaskSpec task, DeferralTable train, DeferralTable validation, TrainingListener listener) {
    checkFits(task);
    if (modelProbabilities) {
      if (!task.hasFrozenModel()) {
        throw new IllegalArgumentException(
            "model probability features need a frozen model; the task names none");
      }
      train = FrozenModelInputs.appendProbabilities(task, train);
      if (validation != null) {
        validation = FrozenModelInputs.appendProbabilities(task, validation);
      }
    }
    if (validation != null && !validation.featureNames().equals(train.featureNames())) {
      throw new IllegalArgumentException(
          "validation features differ from training features ("
              + validation.featureCount()
              + " vs "
              + train.featureCount()
              + ")");
    }
    int k = task.classCount();
    int j = task.experts().size();
    int outputs = surrogate.scoreCount(k, j);
    CostMatrix costs = new CostModel(task).costs(train);
    Target[] targets = targets(task, train, costs);
    ScorerSpec spec = scorerFactory.spec(train.featureCount(), outputs);
    SplittableRandom rng = new SplittableRandom(options.seed());
    Scorer scorer = Scorers.create(spec, rng.split());
    RowLoss loss = (row, scores, grad) -> surrogate.evaluate(scores, targets[row], grad);
    if (FrozenModelInputs.usesModelConfidence(surrogate)) {
      // Score 0 of 2s-sb is the frozen model's confidence (survey eq. 9), an input: the learned
      // output 0 is replaced by it and gets no gradient.
      double[] confidence = FrozenModelInputs.confidence(task, train);
      loss =
          (row, scores, grad) -> {
            double[] s = scores.clone();
            s[0] = confidence[row];
            double l = surrogate.evaluate(s, targets[row], grad);
            grad[0] = 0.0;
            return l;
          };
    }
    Validation val = validation == null ? null : validationOf(task, train, validation);
    int[] rows = new int[train.rows()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    double[] weights = null;
    if (train.hasWeights()) {
      weights = new double[train.rows()];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = train.weight(i);
      }
    }
    FitResult fit =
        new ScorerFitter(options.withSeed(rng.nextLong()))
            .fit(scorer, train.featureBlock(), rows, weights, loss, val, listener);
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("method", surrogate.name());
    prov.put("seed", Long.toString(options.seed()));
    prov.put("algorithm", options.algorithm().name().toLowerCase(Locale.ROOT));
    prov.put("epochs", Integer.toString(fit.epochs()));
    prov.put("best_epoch", Integer.toString(fit.bestEpoch()));
    prov.put("train_rows", Integer.toString(train.rows()));
    DeferralModel model =
        new DeferralModel(task, surrogate, scorer, train.featureNames(), Double.NaN, prov);
    if (validation != null) {
      if (tuneThreshold) {
        model = model.withThreshold(tuneThreshold(model, validation));
      }
      DeferralReport r = evaluate(model, validation);
      Map<String, String> v = new LinkedHashMap<>();
      v.put("validation_rows", Integer.toString(validation.rows()));
      v.put("validation_system_cost", Double.toString(r.meanCost()));
      v.put("validation_system_accuracy", Double.toString(r.systemAccuracy()));
      v.put("validation_coverage", Double.toString(r.coverage()));
      model = model.withProvenance(v);
    }
    return model;
  }

  private void checkFits(TaskSpec task) {
    ScoreLayout layout = surrogate.layout();
    if (task.hasFrozenModel() && layout.hasClasses()) {
      throw new IllegalArgumentException(
          "surrogate "
              + surrogate.name()
              + " learns the classifier (one-stage), but the task names a frozen model '"
              + task.model()
              + "'; use a two-stage surrogate (2s-*) or remove 'model:' from the task");
    }
    if (!task.hasFrozenModel()
        && (layout == ScoreLayout.AGENTS || layout == ScoreLayout.EXPERT_REJECTORS)) {
      throw new IllegalArgumentException(
          "surrogate "
              + surrogate.name()
              + " routes around a frozen model (two-stage), but the task names none; add"
              + " 'model:' to the task or use a one-stage surrogate");
    }
    if (layout.hasClasses() && task.classCount() < 2) {
      throw new IllegalArgumentException(
          "surrogate " + surrogate.name() + " needs a classification task with classes");
    }
    if (task.experts().isEmpty()) {
      throw new IllegalArgumentException("the task declares no expert to defer to");
    }
  }

  private static Target[] targets(TaskSpec task, DeferralTable table, CostMatrix costs) {
    int n = table.rows();
    Target[] t = new Target[n];
    for (int i = 0; i < n; i++) {
      int label = table.hasLabels() ? table.label(i) : Target.NO_LABEL;
      double value = table.hasTargets() ? table.target(i) : Double.NaN;
      t[i] = Target.fromCostMatrix(costs, i, label, value);
    }
    return t;
  }

  private Validation validationOf(TaskSpec task, DeferralTable train, DeferralTable validation) {
    return scorer -> {
      DeferralModel m =
          new DeferralModel(task, surrogate, scorer, train.featureNames(), Double.NaN, Map.of());
      DeferralReport r = evaluate(m, validation);
      return new Validation.Result(r.meanCost(), r.systemAccuracy());
    };
  }

  /** The metrics of a model on a table (its own predictions fill the model column). */
  public static DeferralReport evaluate(DeferralModel model, DeferralTable table) {
    CostMatrix c = model.costs(table);
    return DeferralMetrics.evaluate(c, model.decideTracked(table, c), table);
  }

  /**
   * The threshold θ on the rejection score that minimises the validation system cost: rows sorted
   * by rejection score, every cut point tried (θ midway between neighbours).
   */
  static double tuneThreshold(DeferralModel model, DeferralTable validation) {
    CostMatrix c = model.costs(validation);
    double[] r = model.rejectionScores(validation, c);
    DeferralModel probe = model.withThreshold(0.0);
    int n = r.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(r[b], r[a]));
    // Decisions with θ = −∞ (defer every row that has an available expert) give each row's
    // deferral cost; keeping row i instead costs its model cost.
    int[] deferAll = probe.withThreshold(-Double.MAX_VALUE).decide(validation, c);
    double keepAll = 0;
    double[] gain = new double[n];
    for (int i = 0; i < n; i++) {
      double keep = c.available(i, 0) ? c.cost(i, 0) : Double.NaN;
      double defer = c.cost(i, deferAll[i]);
      double w = validation.weight(i);
      keepAll += w * (Double.isNaN(keep) ? defer : keep);
      gain[i] = Double.isNaN(keep) || !Double.isFinite(r[i]) ? 0 : w * (defer - keep);
    }
    double best = keepAll;
    double bestTheta = Double.isFinite(r[order[0]]) ? r[order[0]] + 1e-9 : 0;
    double total = keepAll;
    for (int p = 0; p < n; p++) {
      int i = order[p];
      if (!Double.isFinite(r[i])) {
        break;
      }
      total += gain[i];
      boolean cut = p == n - 1 || r[order[p + 1]] < r[i];
      if (cut && total < best - 1e-12) {
        best = total;
        bestTheta =
            p == n - 1 || !Double.isFinite(r[order[p + 1]])
                ? r[i] - 1e-9
                : 0.5 * (r[i] + r[order[p + 1]]);
      }
    }
    return bestTheta;
  }

  /** The surrogate. */
  public Surrogate surrogate() {
    return surrogate;
  }

  /** The options. */
  public TrainOptions options() {
    return options;
  }

  /** A linear scorer with an L2 penalty λ. */
  public static ScorerFactory linear(double l2) {
    return (in, out) -> ScorerSpec.linear(in, out).withL2(l2);
  }

  /** An MLP scorer with the given hidden sizes and activation and an L2 penalty λ. */
  public static ScorerFactory mlp(
      List<Integer> hidden, org.defer4j.core.model.Activation activation, double l2) {
    int[] h = hidden.stream().mapToInt(Integer::intValue).toArray();
    return (in, out) -> ScorerSpec.mlp(in, out, activation, h).withL2(l2);
  }
}
