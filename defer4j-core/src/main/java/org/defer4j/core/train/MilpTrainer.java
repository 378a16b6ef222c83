package org.defer4j.core.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.constraint.LinearDeferralMilp;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.model.LinearScorer;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * Trains a linear classifier and rejector by solving the exact MILP of Mozannar et al. 2023 (see
 * {@link LinearDeferralMilp}) on the feature pipeline's inputs, normalised by s = max_i ‖x_i‖₁. The
 * result is an ordinary {@link LearnedPolicy} with a {@link LinearScorer} and the {@link
 * ScoreHead#GATE} head: raw scores (H_1·x̃, …, H_K·x̃, R·x̃) (binary: (0, H·x̃, R·x̃)), model score
 * 0, expert score R·x̃, so the argmax rule defers iff R·x̃ &gt; 0 and otherwise answers argmax_l
 * H_l·x̃ — the MILP's rule. Weights map back as W = H_{1:}/s, b = H_0.
 *
 * <p>Classification with one expert and no frozen model; rows are weighted by the table's weights
 * if it has them. The solver's status, objective, bound and gap are kept in the provenance.
 */
public final class MilpTrainer implements Trainer<LearnedPolicy> {
  private final LinearDeferralMilp solver;
  private final LinearDeferralMilp.Options options;
  private final FeatureOptions features;
  private LinearDeferralMilp.Solution last;

  /**
   * @param solver the MIP solver
   * @param options the program's options
   * @param features the feature pipeline to fit (standardised x.* by default)
   */
  public MilpTrainer(
      LinearDeferralMilp solver, LinearDeferralMilp.Options options, FeatureOptions features) {
    this.solver = solver;
    this.options = options;
    this.features = features;
  }

  /** The solution of the last {@link #fit}, or null. */
  public synchronized LinearDeferralMilp.Solution lastSolution() {
    return last;
  }

  @Override
  public LearnedPolicy fit(
      TaskSpec task, DeferralTable train, DeferralTable validation, TrainingListener listener) {
    if (task.kind() != TaskKind.CLASSIFICATION) {
      throw new IllegalArgumentException(
          "the MILP learns a classifier and a rejector: it needs a classification task, this one is "
              + task.kind().specName());
    }
    if (task.hasFrozenModel()) {
      throw new IllegalArgumentException(
          "the MILP learns the classifier itself; the task names a frozen model");
    }
    if (task.agents().expertCount() != 1) {
      throw new IllegalArgumentException(
          "the MILP defers to one expert; the task has " + task.agents().expertCount());
    }
    int n = train.rows();
    if (n == 0) {
      throw new IllegalArgumentException("the training table has no rows");
    }
    FeaturePipeline pipeline = features.fit(task, train);
    int d = pipeline.dimension();
    double[] x = pipeline.transform(train);
    double s = 0;
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += Math.abs(x[i * d + j]);
      }
      s = Math.max(s, norm);
    }
    if (s == 0) {
      s = 1;
    }
    for (int k = 0; k < x.length; k++) {
      x[k] /= s;
    }
    CostMatrix costs = new CostModel(task).costs(train);
    double[] expert = new double[n];
    double[] weight = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      expert[i] = costs.cost(i, 1);
      weight[i] = train.hasWeights() ? train.weight(i) : 1.0;
      total += weight[i];
    }
    for (int i = 0; i < n; i++) {
      weight[i] /= total;
    }
    double a0 = task.agents().get(0).alpha() * task.cost().classification();
    double fee0 = task.agents().fees()[0];
    int classes = task.classCount();
    LinearDeferralMilp.Solution sol =
        solver.solve(x, n, d, train.labels(), classes, weight, a0, fee0, expert, options);
    synchronized (this) {
      last = sol;
    }
    int outputs = classes + 1;
    LinearScorer scorer = Scorers.linear(d, outputs, new SplittableRandom(0));
    double[] theta = scorer.parameters();
    java.util.Arrays.fill(theta, 0.0);
    double[] h = sol.classifier();
    if (classes == 2) {
      set(theta, d, outputs, 1, h, 0, s);
    } else {
      for (int k = 0; k < classes; k++) {
        set(theta, d, outputs, k, h, k * (d + 1), s);
      }
    }
    set(theta, d, outputs, classes, sol.rejector(), 0, s);
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("milp_solver", solver.name());
    opts.put("milp_time_limit_seconds", Double.toString(options.timeLimitSeconds()));
    opts.put("milp_l1", Double.toString(options.l1()));
    opts.put("milp_max_deferral_share", Double.toString(options.maxDeferralShare()));
    opts.put("milp_margin", Double.toString(options.margin()));
    opts.put("milp_bound", Double.toString(options.bound()));
    opts.put("milp_status", sol.status());
    opts.put("milp_seconds", String.format(Locale.ROOT, "%.3f", sol.seconds()));
    opts.put("standardize", Boolean.toString(features.standardize()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("milp_objective", sol.objective());
    metrics.put("milp_best_bound", sol.bestBound());
    metrics.put("milp_gap", sol.gap());
    metrics.put("milp_deferred_share", sol.deferred() / (double) n);
    Provenance prov = new Provenance("milp", solver.name(), 0L, 0, 0, n, "", "", "", opts, metrics);
    return new LearnedPolicy(task, pipeline, scorer, ScoreHead.GATE, DecisionRules.argmax(), prov);
  }

  /** Score a = w·x̃ with x̃ = (1, x/s): weights w_{1:}/s, bias w_0. */
  private static void set(
      double[] theta, int d, int outputs, int a, double[] w, int from, double s) {
    for (int j = 0; j < d; j++) {
      theta[a * d + j] = w[from + 1 + j] / s;
    }
    theta[outputs * d + a] = w[from];
  }
}
