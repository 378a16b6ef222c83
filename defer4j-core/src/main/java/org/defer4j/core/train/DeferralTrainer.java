package org.defer4j.core.train;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Target;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.DecisionRule;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskSpec;

/**
 * Learns a deferral policy by minimising a surrogate over a scorer (DESIGN.md §5–6).
 *
 * <ul>
 *   <li><b>One-stage</b> (the task names no frozen model; surrogate layouts with class scores): the
 *       classifier and the deferral are learned jointly. Per row, the target is the label and each
 *       expert's correctness and cost; an expert that did not see the row is masked out.
 *   <li><b>Two-stage</b> (the task names a frozen model recorded in the table; the agent layouts):
 *       only the allocation is learned, from each agent's cost on the row.
 * </ul>
 *
 * The inputs go through the feature pipeline that {@link FeatureOptions} fits on the training table
 * (standardised by default) and that the policy carries. Early stopping watches the validation
 * target loss (mean system cost, survey eq. 15). Training never sees the validation table except
 * through that criterion and the optional threshold, and never sees a test table.
 */
public final class DeferralTrainer implements Trainer<LearnedPolicy> {
  /** How to build the scorer: linear, or an MLP (hidden sizes, activation), with an L2 penalty. */
  public interface ScorerFactory {
    /** The scorer spec for d inputs and S outputs. */
    ScorerSpec spec(int inputs, int outputs);
  }

  private final Surrogate surrogate;
  private final ScorerFactory scorerFactory;
  private final TrainOptions options;
  private final boolean tuneThreshold;
  private final FeatureOptions features;
  private final LossExtension extension;

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
    this(surrogate, scorerFactory, options, tuneThreshold, FeatureOptions.defaults(), null);
  }

  private DeferralTrainer(
      Surrogate surrogate,
      ScorerFactory scorerFactory,
      TrainOptions options,
      boolean tuneThreshold,
      FeatureOptions features,
      LossExtension extension) {
    this.surrogate = surrogate;
    this.scorerFactory = scorerFactory;
    this.options = options;
    this.tuneThreshold = tuneThreshold;
    this.features = features;
    this.extension = extension;
    if (tuneThreshold && !supportsThreshold(surrogate.layout())) {
      throw new IllegalArgumentException(
          "surrogate " + surrogate.name() + " has no rejection score to put a threshold on");
    }
  }

  /** Whether a layout has a rejection score that a threshold can act on. */
  public static boolean supportsThreshold(ScoreLayout layout) {
    return layout == ScoreLayout.CLASSES_AND_EXPERTS || layout == ScoreLayout.AGENTS;
  }

  /** A copy of this trainer with other feature options. */
  public DeferralTrainer withFeatures(FeatureOptions f) {
    return new DeferralTrainer(surrogate, scorerFactory, options, tuneThreshold, f, extension);
  }

  /**
   * A copy of this trainer that minimises the surrogate as changed by {@code e} (null: the
   * surrogate alone); the policy's method is then named {@code e.name() + ":" + surrogate}.
   */
  public DeferralTrainer withLossExtension(LossExtension e) {
    return new DeferralTrainer(surrogate, scorerFactory, options, tuneThreshold, features, e);
  }

  /**
   * A copy of this trainer whose rejector also reads the frozen model's class probabilities ({@code
   * m.<model>.p.*}) as inputs; the policy reads them from the cases it decides. Two-stage only.
   */
  public DeferralTrainer withModelProbabilities() {
    return withFeatures(features.withModelProbabilities(true));
  }

  /** The feature options. */
  public FeatureOptions features() {
    return features;
  }

  /**
   * Fits a policy.
   *
   * @param task the task (its frozen model decides one- or two-stage)
   * @param train training rows
   * @param validation validation rows for early stopping and the threshold, or null
   * @param listener progress receiver
   * @throws IllegalArgumentException when the surrogate does not fit the task (e.g. a two-stage
   *     surrogate without a frozen model), or a table lacks an input
   */
  @Override
  public LearnedPolicy fit(
      TaskSpec task, DeferralTable train, DeferralTable validation, TrainingListener listener) {
    Surrogate bound = surrogate.forTask(task);
    if (bound != surrogate) {
      return new DeferralTrainer(bound, scorerFactory, options, tuneThreshold, features, extension)
          .fit(task, train, validation, listener);
    }
    checkFits(surrogate, task);
    FeaturePipeline pipeline = features.fit(task, train);
    double[] x = pipeline.transform(train);
    ScoreHead head = ScoreHead.of(surrogate);
    int outputs = surrogate.scoreCount(task.classCount(), task.experts().size());
    CostMatrix costs = new CostModel(task).costs(train);
    Target[] targets = targets(train, costs);
    ScorerSpec spec = scorerFactory.spec(pipeline.dimension(), outputs);
    SplittableRandom rng = new SplittableRandom(options.seed());
    Scorer scorer = Scorers.create(spec, rng.split());
    RowLoss loss = (row, scores, grad) -> surrogate.evaluate(scores, targets[row], grad);
    if (head.readsModelConfidence()) {
      // Score 0 of 2s-sb is the frozen model's confidence (survey eq. 9), an input: the learned
      // output 0 is replaced by it and gets no gradient.
      double[] confidence =
          org.defer4j.core.feature.ModelProbabilities.confidence(
              train, task.model(), task.classCount());
      loss =
          (row, scores, grad) -> {
            double[] s = scores.clone();
            s[0] = confidence[row];
            double l = surrogate.evaluate(s, targets[row], grad);
            grad[0] = 0.0;
            return l;
          };
    }
    ValidationSet val =
        validation == null ? null : new ValidationSet(task, pipeline, head, validation);
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
    ScorerFitter fitter = new ScorerFitter(options.withSeed(rng.nextLong()));
    Validation validate = val == null ? null : s -> val.evaluate(s, DecisionRules.argmax());
    FitResult fit =
        extension == null
            ? fitter.fit(scorer, x, rows, weights, loss, validate, listener)
            : fitter.fit(
                scorer,
                x,
                rows,
                extension.extend(
                    surrogate, new WeightedRowLoss(loss, weights, outputs), scorer, x, costs),
                validate,
                listener);
    Map<String, String> opts = TrainingProvenance.options(options, spec, features);
    if (extension != null) {
      opts.putAll(extension.options());
    }
    Provenance prov =
        TrainingProvenance.of(
            extension == null ? surrogate.name() : extension.name() + ":" + surrogate.name(),
            options,
            fit.epochs(),
            fit.bestEpoch(),
            train.rows(),
            opts,
            Map.of());
    LearnedPolicy policy =
        new LearnedPolicy(task, pipeline, scorer, head, DecisionRules.argmax(), prov);
    if (val != null) {
      if (tuneThreshold) {
        policy = policy.withRule(DecisionRules.threshold(tuneThreshold(policy, validation)));
      }
      policy =
          policy.withProvenance(
              policy.provenance().withMetrics(validationMetrics(policy, validation)));
    }
    return policy;
  }

  /** The validation metrics recorded in a policy's provenance. */
  static Map<String, Double> validationMetrics(LearnedPolicy policy, DeferralTable validation) {
    DeferralReport r = Evaluation.of(policy, policy.task(), validation).report();
    return TrainingProvenance.validationMetrics(
        validation.rows(), r.meanCost(), r.systemAccuracy(), r.coverage());
  }

  /**
   * Checks that a surrogate, already bound to the task ({@link Surrogate#forTask}), can be trained
   * on it; shared with the trainers of other engines (defer4j-spark's {@code DistributedTrainer}).
   *
   * @throws IllegalArgumentException when a one-stage surrogate meets a frozen model, a two-stage
   *     one meets none, a surrogate with class scores meets a task without classes, or the task
   *     declares no expert
   */
  public static void checkFits(Surrogate surrogate, TaskSpec task) {
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

  /** Per-row training targets from a labelled table and its cost matrix. */
  static Target[] targets(DeferralTable table, CostMatrix costs) {
    int n = table.rows();
    Target[] t = new Target[n];
    for (int i = 0; i < n; i++) {
      int label = table.hasLabels() ? table.label(i) : Target.NO_LABEL;
      double value = table.hasTargets() ? table.target(i) : Double.NaN;
      t[i] = Target.fromCostMatrix(costs, i, label, value);
    }
    return t;
  }

  /**
   * A validation table transformed once, scored every epoch: the system cost and accuracy of a
   * candidate scorer's decisions.
   */
  static final class ValidationSet {
    private final TaskSpec task;
    private final FeaturePipeline pipeline;
    private final ScoreHead head;
    private final DeferralTable table;
    private final double[] inputs;
    private final double[] confidence;
    private final Availability availability;

    ValidationSet(TaskSpec task, FeaturePipeline pipeline, ScoreHead head, DeferralTable table) {
      this.task = task;
      this.pipeline = pipeline;
      this.head = head;
      this.table = table;
      this.inputs = pipeline.transform(table);
      this.confidence =
          head.readsModelConfidence()
              ? org.defer4j.core.feature.ModelProbabilities.confidence(
                  table, task.model(), task.classCount())
              : null;
      this.availability = Availability.observed(task, table);
    }

    Validation.Result evaluate(Scorer scorer, DecisionRule rule) {
      LearnedPolicy p =
          new LearnedPolicy(task, pipeline, scorer, head, rule, Provenance.of("validation"));
      Decisions d = p.decideInputs(inputs, confidence, availability, null, table.source());
      DeferralReport r = Evaluation.of(d, task, table).report();
      return new Validation.Result(r.meanCost(), r.systemAccuracy());
    }
  }

  /**
   * The threshold θ on the rejection margin that minimises the validation system cost: rows sorted
   * by margin, every cut point tried (θ midway between neighbours).
   */
  static double tuneThreshold(LearnedPolicy policy, DeferralTable validation) {
    Availability av = Availability.observed(policy.task(), validation);
    LearnedPolicy argmax = policy.withRule(DecisionRules.argmax());
    Decisions probe = argmax.decide(validation, av);
    double[] r = LearnedPolicy.margins(probe);
    CostMatrix c = Evaluation.costs(policy.task(), validation, probe);
    // θ = −∞ defers every row that has an available expert (to its best-scored expert); keeping
    // row i instead costs its model cost.
    int[] deferAll =
        policy.withRule(DecisionRules.threshold(-Double.MAX_VALUE)).decide(validation, av).agents();
    int n = r.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(r[b], r[a]));
    double keepAll = 0;
    double[] gain = new double[n];
    for (int i = 0; i < n; i++) {
      double keep = av.available(i, 0) ? c.cost(i, 0) : Double.NaN;
      double defer = c.cost(i, deferAll[i]);
      double w = validation.weight(i);
      keepAll += w * (Double.isNaN(keep) ? defer : keep);
      gain[i] = Double.isNaN(keep) || !Double.isFinite(r[i]) ? 0 : w * (defer - keep);
    }
    double best = keepAll;
    double top = Double.NEGATIVE_INFINITY;
    for (double m : r) {
      if (Double.isFinite(m)) {
        top = Math.max(top, m);
      }
    }
    double bestTheta = Double.isFinite(top) ? top + 1e-9 : 0;
    double total = keepAll;
    for (int p = 0; p < n; p++) {
      int i = order[p];
      if (!Double.isFinite(r[i])) {
        if (r[i] == Double.POSITIVE_INFINITY) {
          continue;
        }
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
