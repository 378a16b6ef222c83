package org.defer4j.core.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.defer4j.core.Checks;
import org.defer4j.core.agent.AgentSet;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * The compare-confidence baseline (Raghu et al. 2019, "The algorithmic automation problem:
 * prediction, triage, and human effort"; {@code CompareConfidence} of
 * clinicalml/human_ai_deferral): the model and the experts are judged separately, then the case
 * goes to whoever is more likely to be right, net of fees.
 *
 * <pre>
 *   conf(x)  = max_k P̂(y = k | x)                     the model's confidence ({@link ModelConfidence})
 *   P̂_j(x)   = σ(w_j·φ(x) + b_j)                      a logistic regression of "expert j is correct"
 *   E[c_0|x] = α_0 (1 − conf(x)) + β_0
 *   E[c_j|x] = α_j (1 − P̂_j(x)) + β_j                 j = 1..J
 *   r(x)     = argmin over the available agents of E[c_j|x]   (ties: the lowest index)
 * </pre>
 *
 * α_j is the agent's {@code alpha} times the task's classification cost weight, β_j its fee; φ is
 * the {@link FeaturePipeline} fitted on the training table (standardised {@code x.*} features by
 * default). With one expert, unit weights and no fees this is the reference rule "defer iff
 * P̂(expert correct | x) &gt; max_k P̂(y = k | x)"; with calibrated estimates it is the Bayes rule
 * argmin_j E[c_j | x] of DESIGN.md §5. The decisions carry the expected costs and the scores
 * −E[c_j|x], so the fallback rule of {@link Decisions} (best-scored available agent) and the rule
 * above agree.
 *
 * <p>The expert models are fitted by {@code org.defer4j.core.train.CompareConfidenceTrainer} on the
 * training table, each on the rows where its expert was observed (an unobserved expert is masked
 * out, never counted as wrong). Unlike the reference, which also trains its own classifier by
 * cross-entropy, the model here is given: the frozen model of a two-stage task, or a trained
 * one-stage policy's classifier. The reference's expert model is a two-class softmax trained by
 * cross-entropy; a single logit with the sigmoid cross-entropy is the same model (σ(s_1 − s_0) =
 * softmax(s)_1). Classification tasks only.
 *
 * <p>Immutable and thread-safe: the scorers are copied in and only read.
 */
public final class CompareConfidence implements DeferralPolicy {
  /** The name in reports. */
  public static final String NAME = "compare-confidence";

  private final TaskSpec task;
  private final FeaturePipeline features;
  private final Scorer[] experts;
  private final ModelConfidence model;
  private final Provenance provenance;
  private final AgentSet agents;
  private final double[] alpha;
  private final double[] fee;

  /**
   * A fitted compare-confidence policy from its parts (the trainer's result, or a saved policy).
   *
   * @param task a classification task with at least one expert
   * @param features the pipeline that builds the expert models' inputs
   * @param expertModels one scorer per expert, in the task's expert order, each with {@code
   *     features.dimension()} inputs and one output, the logit of P̂(expert correct | x) (copied)
   * @param model where the model's confidence comes from
   * @param provenance how the policy was made
   * @throws IllegalArgumentException when the task is not classification, the model source does not
   *     fit it, or the scorers do not match the experts or the pipeline
   */
  public CompareConfidence(
      TaskSpec task,
      FeaturePipeline features,
      List<Scorer> expertModels,
      ModelConfidence model,
      Provenance provenance) {
    checkTask(task);
    if (features == null || expertModels == null || model == null || provenance == null) {
      throw new IllegalArgumentException(
          "compare-confidence needs features, expert models, a model confidence and provenance");
    }
    model.checkFits(task);
    Checks.checkDimension(
        "compare-confidence expert models", expertModels.size(), task.experts().size());
    this.task = task;
    this.features = features;
    this.model = model;
    this.provenance = provenance;
    this.agents = task.agents();
    this.experts = new Scorer[expertModels.size()];
    for (int j = 0; j < experts.length; j++) {
      Scorer s = expertModels.get(j);
      String who = "expert model of '" + agents.get(j + 1).name() + "'";
      Checks.checkDimension(who + " inputs", s.inputDim(), features.dimension());
      Checks.checkDimension(who + " outputs", s.outputDim(), 1);
      experts[j] = s.copy();
    }
    this.fee = agents.fees();
    this.alpha = new double[agents.size()];
    for (int j = 0; j < alpha.length; j++) {
      alpha[j] = agents.get(j).alpha() * task.cost().classification();
    }
  }

  /**
   * Checks that a task suits compare-confidence: classification, with an expert to defer to.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static void checkTask(TaskSpec task) {
    if (task == null) {
      throw new IllegalArgumentException("compare-confidence needs a task");
    }
    if (task.kind() != TaskKind.CLASSIFICATION) {
      throw new IllegalArgumentException(
          "compare-confidence compares each agent's probability of classifying a case correctly,"
              + " so it needs a classification task; got a "
              + task.kind().specName()
              + " task");
    }
    if (task.experts().isEmpty()) {
      throw new IllegalArgumentException(
          "compare-confidence needs an expert to defer to; the task declares none");
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The task. */
  public TaskSpec task() {
    return task;
  }

  /** The agents, in index order. */
  public AgentSet agents() {
    return agents;
  }

  /** The expert models' feature pipeline. */
  public FeaturePipeline features() {
    return features;
  }

  /** Copies of the expert models, in the task's expert order. */
  public List<Scorer> expertModels() {
    List<Scorer> out = new ArrayList<>(experts.length);
    for (Scorer s : experts) {
      out.add(s.copy());
    }
    return out;
  }

  /** Where the model's confidence comes from. */
  public ModelConfidence modelConfidence() {
    return model;
  }

  /** How the policy was made. */
  public Provenance provenance() {
    return provenance;
  }

  /**
   * The estimated probability that each expert classifies each case correctly, P̂_j(x), row-major n
   * × J (expert j = 1..J at column j − 1; a new array).
   *
   * @throws IllegalArgumentException when the cases lack a feature the pipeline reads
   */
  public double[] expertCorrectness(DeferralTable cases) {
    return expertCorrectness(features.transform(cases), cases.rows());
  }

  private double[] expertCorrectness(double[] x, int n) {
    int jn = experts.length;
    double[] out = new double[n * jn];
    double[] logit = new double[n];
    for (int j = 0; j < jn; j++) {
      Scorer s = experts[j];
      s.scoreRows(x, 0, n, logit, s.newWorkspace());
      for (int i = 0; i < n; i++) {
        out[i * jn + j] = StableMath.sigmoid(logit[i]);
      }
    }
    return out;
  }

  @Override
  public Decisions decide(DeferralTable cases, Availability availability) {
    int n = cases.rows();
    Checks.checkDimension("availability rows of table " + cases.source(), availability.rows(), n);
    if (!Arrays.equals(availability.agents().names(), agents.names())) {
      throw new IllegalArgumentException(
          "availability is over agents "
              + availability.agents()
              + ", the policy decides among "
              + agents);
    }
    ModelConfidence.Reading reading = model.read(cases, task);
    double[] conf = reading.confidence();
    double[] pj = expertCorrectness(features.transform(cases), n);
    int a = agents.size();
    int jn = a - 1;
    double[] expected = new double[n * a];
    double[] scores = new double[n * a];
    int[] chosen = new int[n];
    boolean[] fallback = new boolean[n];
    for (int i = 0; i < n; i++) {
      int s = i * a;
      expected[s] = alpha[0] * (1 - conf[i]) + fee[0];
      for (int j = 1; j < a; j++) {
        expected[s + j] = alpha[j] * (1 - pj[i * jn + j - 1]) + fee[j];
      }
      int best = -1;
      int bestAll = 0;
      for (int j = 0; j < a; j++) {
        scores[s + j] = -expected[s + j];
        // Strict comparisons keep the lowest index on ties.
        if (expected[s + j] < expected[s + bestAll]) {
          bestAll = j;
        }
        if (availability.available(i, j) && (best < 0 || expected[s + j] < expected[s + best])) {
          best = j;
        }
      }
      if (best < 0) {
        throw new IllegalArgumentException(
            cases.source()
                + ": row "
                + (i + 1)
                + ": no agent is available, so the case cannot be decided");
      }
      chosen[i] = best;
      fallback[i] = best != bestAll;
    }
    Decisions.Builder b =
        Decisions.builder(agents, chosen)
            .fallback(fallback)
            .scores(scores)
            .expectedCosts(expected)
            .availability(availability)
            .ids(ids(cases));
    if (reading.predictedClass() != null) {
      b.predictedClass(reading.predictedClass());
    }
    return b.build();
  }

  /** {@link #decide(DeferralTable, Availability)} with the table's declared availability. */
  public Decisions decide(DeferralTable cases) {
    return decide(cases, Availability.fromTable(agents, cases));
  }

  private static String[] ids(DeferralTable cases) {
    if (!cases.hasIds()) {
      return null;
    }
    String[] out = new String[cases.rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = cases.id(i);
    }
    return out;
  }

  @Override
  public String toString() {
    return "CompareConfidence["
        + experts.length
        + " expert models, "
        + model.name()
        + ", "
        + features
        + "]";
  }
}
