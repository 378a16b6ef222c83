package org.defer4j.core.train;

import java.util.List;
import java.util.Map;
import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.Workspace;
import org.defer4j.core.policy.Decisions;
import org.defer4j.core.policy.DeferralPolicy;
import org.defer4j.core.task.TaskSpec;

/**
 * A fitted deferral model: a scorer whose scores a surrogate's decision rule turns into a choice of
 * agent, restricted to the agents available on each row. Immutable; safe to share between threads
 * (each call makes its own workspace).
 *
 * <p>One-stage models (layouts with class scores) also predict: the learned model's class is the
 * argmax of the class scores, and {@link #costs} fills the model's column of the cost matrix with
 * it. Two-stage models route around the frozen model recorded in the table.
 *
 * <p>An optional threshold θ on the rejection score (best available expert's score minus the
 * model's score, for the score-based and agent layouts) replaces the argmax rule: defer iff the
 * rejection score exceeds θ; θ = 0 is the argmax rule itself.
 *
 * <p>Two-stage inputs ({@link FrozenModelInputs}): with {@code 2s-sb}, score 0 is the frozen
 * model's confidence read from the table, not the scorer's output 0; a model trained with the
 * frozen model's probabilities as features appends them to tables that lack them.
 */
public final class DeferralModel implements DeferralPolicy {
  private static final double MASKED = -1e30;

  private final TaskSpec task;
  private final Surrogate surrogate;
  private final Scorer scorer;
  private final List<String> featureNames;
  private final double threshold;
  private final Map<String, String> provenance;
  private final int classes;
  private final int experts;

  /**
   * @param task the task the model was trained for
   * @param surrogate the surrogate (its layout and decision rule)
   * @param scorer the fitted scorer (copied)
   * @param featureNames the input feature names, in scorer input order
   * @param threshold θ on the rejection score, or NaN for the surrogate's own rule
   * @param provenance free-form facts about the fit (seed, data hash, metrics), kept in artifacts
   */
  public DeferralModel(
      TaskSpec task,
      Surrogate surrogate,
      Scorer scorer,
      List<String> featureNames,
      double threshold,
      Map<String, String> provenance) {
    this.task = task;
    this.surrogate = surrogate;
    this.scorer = scorer.copy();
    this.featureNames = List.copyOf(featureNames);
    this.threshold = threshold;
    this.provenance = Map.copyOf(provenance);
    this.classes = task.classCount();
    this.experts = task.experts().size();
    Checks.checkDimension("scorer inputs", scorer.inputDim(), featureNames.size());
    Checks.checkDimension(
        "scorer outputs", scorer.outputDim(), surrogate.scoreCount(classes, experts));
    if (!Double.isNaN(threshold) && !supportsThreshold(surrogate.layout())) {
      throw new IllegalArgumentException(
          "a rejection threshold needs a score-based or agent layout, not " + surrogate.layout());
    }
  }

  /** Whether a layout has a rejection score that a threshold can act on. */
  public static boolean supportsThreshold(ScoreLayout layout) {
    return layout == ScoreLayout.CLASSES_AND_EXPERTS || layout == ScoreLayout.AGENTS;
  }

  /** The task. */
  public TaskSpec task() {
    return task;
  }

  /** The surrogate the model was trained with. */
  public Surrogate surrogate() {
    return surrogate;
  }

  /** A copy of the scorer. */
  public Scorer scorer() {
    return scorer.copy();
  }

  /** Input feature names. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** θ, or NaN for the surrogate's own decision rule. */
  public double threshold() {
    return threshold;
  }

  /** Facts about the fit. */
  public Map<String, String> provenance() {
    return provenance;
  }

  /** A copy of this model with another threshold (NaN: the surrogate's own rule). */
  public DeferralModel withThreshold(double theta) {
    return new DeferralModel(task, surrogate, scorer, featureNames, theta, provenance);
  }

  /** A copy of this model with more provenance entries. */
  public DeferralModel withProvenance(Map<String, String> more) {
    Map<String, String> all = new java.util.LinkedHashMap<>(provenance);
    all.putAll(more);
    return new DeferralModel(task, surrogate, scorer, featureNames, threshold, all);
  }

  /** The training method recorded in the provenance (e.g. {@code triage}), else the surrogate's. */
  @Override
  public String name() {
    return provenance.getOrDefault("method", surrogate.name());
  }

  /**
   * The scores of every row, n × S row-major.
   *
   * @throws IllegalArgumentException when the table's features differ from the model's
   */
  public double[] scores(DeferralTable table) {
    DeferralTable input = FrozenModelInputs.align(task, table, featureNames);
    checkFeatures(input);
    int n = input.rows();
    int width = scorer.outputDim();
    double[] out = new double[n * width];
    Workspace ws = scorer.newWorkspace();
    scorer.scoreRows(input.featureBlock(), 0, n, out, ws);
    if (FrozenModelInputs.usesModelConfidence(surrogate)) {
      double[] confidence = FrozenModelInputs.confidence(task, table);
      for (int i = 0; i < n; i++) {
        out[i * width] = confidence[i];
      }
    }
    return out;
  }

  private void checkFeatures(DeferralTable table) {
    if (!table.featureNames().equals(featureNames)) {
      throw new IllegalArgumentException(
          table.source()
              + ": features "
              + abbreviate(table.featureNames())
              + " differ from the model's "
              + abbreviate(featureNames));
    }
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 6
        ? names.toString()
        : names.subList(0, 3) + "… (" + names.size() + " features)";
  }

  /**
   * The learned model's outputs (one-stage): predicted class and class probabilities (softmax of
   * the class scores); for the regression layout, the predicted value. Null for two-stage models,
   * whose model is recorded in the table.
   */
  public AgentColumns modelOutputs(DeferralTable table) {
    ScoreLayout layout = surrogate.layout();
    if (task.hasFrozenModel()
        || !(layout.hasClasses() || layout == ScoreLayout.PREDICTION_AND_AGENTS)) {
      return null;
    }
    double[] s = scores(table);
    int n = table.rows();
    int width = scorer.outputDim();
    if (layout == ScoreLayout.PREDICTION_AND_AGENTS) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = s[i * width];
      }
      return new AgentColumns(n, null, v, null, 0, null);
    }
    int[] pred = new int[n];
    double[] prob = new double[n * classes];
    double[] row = new double[classes];
    double[] p = new double[classes];
    for (int i = 0; i < n; i++) {
      System.arraycopy(s, i * width, row, 0, classes);
      StableMath.softmax(row, p);
      System.arraycopy(p, 0, prob, i * classes, classes);
      int best = 0;
      for (int k = 1; k < classes; k++) {
        if (row[k] > row[best]) {
          best = k;
        }
      }
      pred[i] = best;
    }
    return new AgentColumns(n, pred, null, prob, classes, null);
  }

  /** The cost matrix of a table under this model: the learned model's predictions fill column 0. */
  public CostMatrix costs(DeferralTable table) {
    CostModel cm = new CostModel(task);
    return task.hasFrozenModel() ? cm.costs(table) : cm.costs(table, modelOutputs(table));
  }

  @Override
  public int[] decide(DeferralTable table, CostMatrix costs) {
    return decideTracked(table, costs).agents();
  }

  @Override
  public Decisions decideTracked(DeferralTable table, CostMatrix costs) {
    Checks.checkDimension("cost matrix rows", costs.rows(), table.rows());
    double[] s = scores(table);
    return Decisions.resolve(route(s, costs), costs);
  }

  /**
   * Routes rows given their scores: each row's agent under the decision rule, with unavailable
   * experts masked out.
   */
  int[] route(double[] allScores, CostMatrix costs) {
    int n = costs.rows();
    int width = scorer.outputDim();
    int[] out = new int[n];
    double[] row = new double[width];
    for (int i = 0; i < n; i++) {
      System.arraycopy(allScores, i * width, row, 0, width);
      out[i] = routeRow(row, costs, i);
    }
    return out;
  }

  /** The rejection score of each row (see the class comment); NaN for other layouts. */
  public double[] rejectionScores(DeferralTable table, CostMatrix costs) {
    double[] s = scores(table);
    int n = table.rows();
    int width = scorer.outputDim();
    double[] out = new double[n];
    double[] row = new double[width];
    for (int i = 0; i < n; i++) {
      System.arraycopy(s, i * width, row, 0, width);
      out[i] = rejection(row, costs, i)[0];
    }
    return out;
  }

  /** {rejection score, best available expert (agent index) or −1}. */
  private double[] rejection(double[] row, CostMatrix costs, int i) {
    ScoreLayout layout = surrogate.layout();
    if (!supportsThreshold(layout)) {
      return new double[] {Double.NaN, -1};
    }
    int offset = layout == ScoreLayout.CLASSES_AND_EXPERTS ? classes - 1 : 0;
    double model;
    if (layout == ScoreLayout.CLASSES_AND_EXPERTS) {
      model = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        model = Math.max(model, row[k]);
      }
    } else {
      model = row[0];
    }
    int bestExpert = -1;
    for (int j = 1; j <= experts; j++) {
      if (costs.available(i, j) && (bestExpert < 0 || row[offset + j] > row[offset + bestExpert])) {
        bestExpert = j;
      }
    }
    return new double[] {
      bestExpert < 0 ? Double.NEGATIVE_INFINITY : row[offset + bestExpert] - model, bestExpert
    };
  }

  private int routeRow(double[] row, CostMatrix costs, int i) {
    ScoreLayout layout = surrogate.layout();
    if (!Double.isNaN(threshold)) {
      double[] r = rejection(row, costs, i);
      return r[0] > threshold ? (int) r[1] : 0;
    }
    switch (layout) {
      case CLASSES_AND_EXPERTS -> mask(row, costs, i, classes - 1, MASKED);
      case AGENTS -> mask(row, costs, i, 0, MASKED);
      case PREDICTION_AND_AGENTS -> mask(row, costs, i, 1, MASKED);
      case EXPERT_REJECTORS -> mask(row, costs, i, -1, -MASKED);
      case CLASSES_AND_REJECTOR -> {
        if (!costs.available(i, 1)) {
          return 0;
        }
      }
    }
    return surrogate.route(row, classes, experts);
  }

  /** Sets the score of every unavailable expert j (at {@code offset + j}) to {@code value}. */
  private void mask(double[] row, CostMatrix costs, int i, int offset, double value) {
    for (int j = 1; j <= experts; j++) {
      if (!costs.available(i, j)) {
        row[offset + j] = value;
      }
    }
    if (surrogate.layout() == ScoreLayout.AGENTS && !costs.available(i, 0)) {
      row[0] = value;
    }
  }
}
