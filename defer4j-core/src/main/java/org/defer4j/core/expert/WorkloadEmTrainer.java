package org.defer4j.core.expert;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.metric.DeferralReport;
import org.defer4j.core.metric.Evaluation;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.FitResult;
import org.defer4j.core.train.RowLoss;
import org.defer4j.core.train.ScorerFitter;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.Trainer;
import org.defer4j.core.train.TrainingListener;

/**
 * Probabilistic learning to defer with workload bounds (Nguyen, Do and Carneiro, ICLR 2025; the
 * reference code is {@code cnguyen10/pl2d}, METHODS-2 §D4): an EM over a gate p(z | x) on the
 * agents z ∈ {model, expert 1..J} and the classifier p(y | x), where each expert's answer t_j is
 * observed or latent and y | t_z is one-hot(t_z) smoothed by ε = 10⁻³.
 *
 * <p><b>E-step</b> (every round, over the whole training table; mean-field, 10 fixed-point
 * iterations): q(z) ∝ p(z | x)·exp(E_{q(t_z)} log p(y | t_z)); an observed answer is clamped, a
 * missing one is inferred as q(t_j) ∝ p(t_j | x)·exp(q(z = j)·log p(y | t_j)). Then q(z) is
 * projected ({@link WorkloadProjection}) onto the per-agent bounds ε^l_j ≤ mean_i q_i(j) ≤ ε^u_j.
 *
 * <p><b>M-step</b>: a few epochs of the one training loop ({@link ScorerFitter}) on CE(classes, y)
 * + CE(gate, q_con), warm-started from the previous round.
 *
 * <p><b>Decision</b>: the gate's argmax over the available agents (the {@link ScoreHead#GATE} head:
 * the scorer's layout is K class scores then J gate logits, the model's gate logit fixed at 0), so
 * the trained policy is an ordinary {@link LearnedPolicy}. As in the paper, the bounds shape the
 * training posteriors; at decision time they are learned, not enforced.
 *
 * <p><b>Where this differs from the reference</b> (a reconstruction, stated): the reference gives
 * every agent its own label network p(t_j | x); here expert j's label model is the classifier seen
 * through a symmetric confusion with the expert's accuracy a_j (Laplace-smoothed on its observed
 * answers), p(t_j = k | x) = a_j·p(k | x) + (1 − a_j)(1 − p(k | x))/(K − 1) — sparse crowd workers
 * give too few answers for a network each. Optionally (the default of the command line) the gate
 * covers only the agents who answered each case, as defer4j's policies choose only among available
 * agents (DESIGN.md §4, "unobserved is not wrong"); nothing is then inferred. The projection is
 * exact (coordinate descent on the dual) and covers the training table instead of each minibatch.
 * Consultation fees are not in the likelihood; bound the workloads instead.
 */
public final class WorkloadEmTrainer implements Trainer<LearnedPolicy> {
  /** The label smoothing of y | t (the reference's 10⁻³). */
  static final double SMOOTHING = 1e-3;

  private static final int MEAN_FIELD_ITERATIONS = 10;

  private final DeferralTrainer.ScorerFactory scorerFactory;
  private final TrainOptions options;
  private final int rounds;
  private final double[] lower;
  private final double[] upper;
  private final FeatureOptions features;
  private final boolean inferMissing;

  /**
   * @param scorerFactory the scorer architecture (K + J outputs)
   * @param options the M-step's optimiser; its epochs are per EM round
   * @param rounds EM rounds, at least 1
   * @param lower per-agent lower workload bounds (A = J + 1, agent 0 the model)
   * @param upper per-agent upper workload bounds
   * @param features the feature options
   * @param inferMissing true: the gate covers every agent on every case and a missing answer is
   *     inferred (the reference's model); false: on each case the gate covers only the model and
   *     the experts who answered it (softmax restricted to them, as a policy chooses only among
   *     available agents), so nothing is inferred
   */
  public WorkloadEmTrainer(
      DeferralTrainer.ScorerFactory scorerFactory,
      TrainOptions options,
      int rounds,
      double[] lower,
      double[] upper,
      FeatureOptions features,
      boolean inferMissing) {
    if (rounds < 1) {
      throw new IllegalArgumentException("EM needs at least 1 round, got " + rounds);
    }
    WorkloadProjection.checkBounds(lower, upper);
    this.scorerFactory = scorerFactory;
    this.options = options;
    this.rounds = rounds;
    this.lower = lower.clone();
    this.upper = upper.clone();
    this.features = features;
    this.inferMissing = inferMissing;
  }

  @Override
  public LearnedPolicy fit(
      TaskSpec task, DeferralTable train, DeferralTable validation, TrainingListener listener) {
    if (task.hasFrozenModel() || task.classCount() < 2) {
      throw new IllegalArgumentException(
          "pl2d learns the classifier and the gate (one-stage classification); the task "
              + (task.hasFrozenModel()
                  ? "names a frozen model '" + task.model() + "'"
                  : "has no classes"));
    }
    int k = task.classCount();
    int jn = task.experts().size();
    int a = jn + 1;
    if (jn == 0) {
      throw new IllegalArgumentException("the task declares no expert to defer to");
    }
    if (lower.length != a) {
      throw new IllegalArgumentException(
          "workload bounds are given for " + lower.length + " agents, the task has " + a);
    }
    int n = train.rows();
    FeaturePipeline pipeline = features.fit(task, train);
    double[] x = pipeline.transform(train);
    CostMatrix costs = new CostModel(task).costs(train);
    int[] labels = train.labels();
    // Observed correctness per expert: 1, 0 or -1 (missing); accuracies a_j with Laplace smoothing.
    byte[] correct = new byte[n * a];
    double[] accuracy = new double[a];
    for (int j = 1; j < a; j++) {
      double right = 1;
      double seen = 2;
      for (int i = 0; i < n; i++) {
        byte c = costs.correct(i, j);
        correct[i * a + j] = c;
        if (c != CostMatrix.UNKNOWN) {
          right += c;
          seen += 1;
        }
      }
      accuracy[j] = right / seen;
    }
    // Which agents the gate covers on each case: all, or the model and the experts who answered.
    boolean[] gated = new boolean[n * a];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < a; j++) {
        gated[i * a + j] = inferMissing || j == 0 || correct[i * a + j] != CostMatrix.UNKNOWN;
      }
    }
    int outputs = k + jn;
    ScorerSpec spec = scorerFactory.spec(pipeline.dimension(), outputs);
    SplittableRandom rng = new SplittableRandom(options.seed());
    Scorer scorer = Scorers.create(spec, rng.split());
    double[] gateTarget = new double[n * a];
    RowLoss loss =
        (row, s, grad) -> {
          double lse = StableMath.logSumExp(s, 0, k);
          double l = lse - s[labels[row]];
          for (int c = 0; c < k; c++) {
            grad[c] = Math.exp(s[c] - lse) - (c == labels[row] ? 1 : 0);
          }
          double max = 0;
          for (int j = 1; j < a; j++) {
            if (gated[row * a + j]) {
              max = Math.max(max, s[k + j - 1]);
            }
          }
          double z = Math.exp(-max);
          for (int j = 1; j < a; j++) {
            if (gated[row * a + j]) {
              z += Math.exp(s[k + j - 1] - max);
            }
          }
          double logZ = max + Math.log(z);
          l -= gateTarget[row * a] * (0 - logZ);
          for (int j = 1; j < a; j++) {
            if (gated[row * a + j]) {
              double t = gateTarget[row * a + j];
              double g = s[k + j - 1] - logZ;
              l -= t * g;
              grad[k + j - 1] = Math.exp(g) - t;
            } else {
              grad[k + j - 1] = 0;
            }
          }
          return l;
        };
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    double[] scores = new double[n * outputs];
    double[] posterior = new double[n * a];
    int epochs = 0;
    double lastViolation = 0;
    for (int round = 0; round < rounds; round++) {
      scorer.scoreRows(x, 0, n, scores, scorer.newWorkspace());
      eStep(scores, labels, correct, accuracy, gated, n, k, a, posterior);
      double[] projected = WorkloadProjection.project(posterior, n, lower, upper);
      lastViolation = WorkloadProjection.maxViolation(projected, n, lower, upper);
      System.arraycopy(projected, 0, gateTarget, 0, gateTarget.length);
      ScorerFitter fitter = new ScorerFitter(options.withSeed(rng.nextLong()).withPatience(0));
      FitResult fit = fitter.fit(scorer, x, rows, null, loss, null, listener);
      epochs += fit.epochs();
    }
    double[] trainShares = WorkloadProjection.shares(gateTarget, n, a);
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("em_rounds", Integer.toString(rounds));
    opts.put("learning_rate", Double.toString(options.learningRate()));
    opts.put("batch_size", Integer.toString(options.batchSize()));
    opts.put("epochs_per_round", Integer.toString(options.epochs()));
    opts.put("scorer", spec.toString());
    opts.put("standardize", Boolean.toString(features.standardize()));
    String[] names = task.agents().names();
    StringBuilder bounds = new StringBuilder();
    for (int j = 0; j < a; j++) {
      bounds
          .append(j == 0 ? "" : ",")
          .append(names[j])
          .append('=')
          .append(lower[j])
          .append(':')
          .append(upper[j]);
    }
    opts.put("workload_bounds", bounds.toString());
    opts.put("missing_answers", inferMissing ? "inferred" : "masked");
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("train_posterior_violation", lastViolation);
    for (int j = 0; j < a; j++) {
      metrics.put("train_posterior_share." + names[j], trainShares[j]);
    }
    Provenance prov =
        new Provenance(
            "pl2d",
            options.algorithm().name().toLowerCase(Locale.ROOT),
            options.seed(),
            epochs,
            epochs,
            n,
            "",
            "",
            "",
            opts,
            metrics);
    LearnedPolicy policy =
        new LearnedPolicy(task, pipeline, scorer, ScoreHead.GATE, DecisionRules.argmax(), prov);
    if (validation != null) {
      DeferralReport r = Evaluation.of(policy, task, validation).report();
      Map<String, Double> v = new LinkedHashMap<>();
      v.put("validation_rows", (double) validation.rows());
      v.put("validation_system_cost", r.meanCost());
      v.put("validation_system_accuracy", r.systemAccuracy());
      v.put("validation_coverage", r.coverage());
      policy = policy.withProvenance(policy.provenance().withMetrics(v));
    }
    return policy;
  }

  /**
   * The unconstrained posteriors q(z) of the E-step.
   *
   * @param scores n × (K + J) scorer outputs
   * @param labels the true classes
   * @param correct n × A correctness of the observed answers (−1: missing; column 0 unused)
   * @param accuracy per-expert accuracies of the label models (index 0 unused)
   * @param gated n × A: the agents the gate covers on each case (others get posterior 0)
   * @param posterior n × A, overwritten
   */
  static void eStep(
      double[] scores,
      int[] labels,
      byte[] correct,
      double[] accuracy,
      boolean[] gated,
      int n,
      int k,
      int a,
      double[] posterior) {
    int outputs = k + a - 1;
    double logRight = Math.log1p(-SMOOTHING);
    double logWrong = Math.log(SMOOTHING / (k - 1));
    double[] prior = new double[a];
    double[] ll = new double[a];
    double[] r = new double[a];
    for (int i = 0; i < n; i++) {
      int o = i * outputs;
      double lse = StableMath.logSumExp(scores, o, o + k);
      double pY = Math.exp(scores[o + labels[i]] - lse);
      // Gate prior p(z | x) = softmax(0, s_⊥1..s_⊥J).
      double max = 0;
      for (int j = 1; j < a; j++) {
        max = Math.max(max, scores[o + k + j - 1]);
      }
      double z = 0;
      for (int j = 0; j < a; j++) {
        prior[j] = gated[i * a + j] ? Math.exp((j == 0 ? 0 : scores[o + k + j - 1]) - max) : 0;
        z += prior[j];
      }
      for (int j = 0; j < a; j++) {
        prior[j] /= z;
        r[j] = prior[j];
      }
      ll[0] = pY * logRight + (1 - pY) * logWrong;
      for (int it = 0; it < MEAN_FIELD_ITERATIONS; it++) {
        for (int j = 1; j < a; j++) {
          byte c = correct[i * a + j];
          double qRight;
          if (c != CostMatrix.UNKNOWN) {
            qRight = c;
          } else {
            double p = accuracy[j] * pY + (1 - accuracy[j]) * (1 - pY) / (k - 1);
            double right = Math.log(p) + r[j] * logRight;
            double wrong = Math.log1p(-p) + r[j] * logWrong;
            qRight = StableMath.sigmoid(right - wrong);
          }
          ll[j] = qRight * logRight + (1 - qRight) * logWrong;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < a; j++) {
          r[j] = prior[j] > 0 ? Math.log(prior[j]) + ll[j] : Double.NEGATIVE_INFINITY;
          best = Math.max(best, r[j]);
        }
        double sum = 0;
        for (int j = 0; j < a; j++) {
          r[j] = Math.exp(r[j] - best);
          sum += r[j];
        }
        for (int j = 0; j < a; j++) {
          r[j] /= sum;
        }
      }
      System.arraycopy(r, 0, posterior, i * a, a);
    }
  }
}
