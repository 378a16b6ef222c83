package org.defer4j.core.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.loss.LabelCrossEntropy;
import org.defer4j.core.loss.ScoreLayout;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.loss.Target;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.policy.Availability;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-hoc fine-tuning under triage: differentiable learning under triage (Okati, De and
 * Gomez-Rodriguez 2021, "Differentiable learning under triage", NeurIPS), the third framework of
 * DESIGN.md §5 beside one-stage and two-stage training.
 *
 * <p>The classifier is first trained (or handed in) as usual; it is then <b>fine-tuned under
 * triage</b>: in every minibatch, the rows on which the model's loss exceeds the best available
 * expert's are assigned to the expert — at most ⌊b·|B|⌋ of them, those with the largest excess (b =
 * the deferral budget) — and the model takes gradient steps on the cross-entropy of the
 * <em>other</em> rows only, so it stops spending capacity on cases the experts will decide. The
 * optimal triage policy for a fixed model is deterministic (Okati et al.): defer where the expert's
 * expected loss is lower. The second stage learns it: a rejector whose argmax over {model, experts}
 * estimates argmin_j E[c_j | x], trained with the complementary-cost surrogate ({@code 2s-comp:1},
 * survey eq. 16; consistent for any bounded cost) on the fine-tuned model's 0-1 cost and the
 * experts' costs (errors plus fees).
 *
 * <p><b>Comparing losses.</b> Okati et al. compare the model's and the expert's values of one loss.
 * Experts here give hard answers, whose cross-entropy would be 0 or ∞, so the comparison is made on
 * the cost scale: the model's loss is its expected 0-1 cost under its own softmax, 1 − p_y ∈ [0,
 * 1], the expert's is its cost c_j (0-1 error plus fee); unobserved experts are ignored.
 *
 * <p><b>The fitted model.</b> One scorer of the classifier's architecture with K + J outputs (the
 * {@link ScoreLayout#CLASSES_AND_EXPERTS} layout): the K class rows of its last layer are the
 * fine-tuned classifier's, the J expert rows are the rejector, trained with every other parameter
 * frozen — so for a linear classifier the rejector is linear in x, for an MLP it is a linear head
 * on the classifier's last hidden layer. The score of agent 0 in the rejector's softmax is the
 * classifier's largest class score (survey eq. 9), so routing the fitted model by argmax over the K
 * + J scores ({@link ScoreHead#CLASS_MAX} with the argmax rule) is the learned triage policy, and
 * the policy is saved and loaded as any one-stage policy; its provenance says {@code
 * method=triage}. The 4-argument {@link #fit(TaskSpec, DeferralTable, DeferralTable,
 * TrainingListener)} builds the inputs with the trainer's {@link FeatureOptions} — standardised by
 * default (statistics of the training table), saved in the policy's feature pipeline. With a budget
 * b &lt; 1, a rejection threshold (the validation table's, or the training table's, (1 −
 * b)-quantile of the rejection score, and never below 0) caps the deferral rate at b.
 *
 * <p>Pre-training and both stages run minibatch Adam through {@link ScorerFitter}, the one training
 * loop, with the options' learning rate, batch size and epochs: the classifier's losses are {@link
 * BatchLoss}es (the triage assignment needs the whole minibatch), the rejector stage trains only
 * the expert rows through the fitter's trainable mask and keeps the epoch of least validation
 * system cost (with patience) when a validation table is given. Deterministic for a given seed.
 */
public final class TriageTrainer implements Trainer<LearnedPolicy> {
  private static final Logger LOG = LoggerFactory.getLogger(TriageTrainer.class);

  private final DeferralTrainer.ScorerFactory scorerFactory;
  private final TrainOptions options;
  private final double budget;
  private final FeatureOptions features;

  /**
   * @param scorerFactory the classifier's architecture (used when no pre-trained classifier is
   *     given)
   * @param options Adam learning rate, epochs (of each stage), batch size, patience (rejector
   *     stage) and seed; the algorithm must be {@link Algorithm#ADAM}
   * @param budget b ∈ (0, 1], the largest share of a minibatch (and, when b &lt; 1, of the cases
   *     routed by the fitted model) given to the experts; 1 = no constraint
   * @throws IllegalArgumentException for another algorithm or a budget outside (0, 1]
   */
  public TriageTrainer(
      DeferralTrainer.ScorerFactory scorerFactory, TrainOptions options, double budget) {
    this(scorerFactory, options, budget, FeatureOptions.defaults());
  }

  private TriageTrainer(
      DeferralTrainer.ScorerFactory scorerFactory,
      TrainOptions options,
      double budget,
      FeatureOptions features) {
    if (options.algorithm() != Algorithm.ADAM) {
      throw new IllegalArgumentException(
          "triage fine-tuning runs minibatch Adam, got " + options.algorithm());
    }
    if (!(budget > 0 && budget <= 1)) {
      throw new IllegalArgumentException("triage budget must be in (0, 1], got " + budget);
    }
    this.scorerFactory = scorerFactory;
    this.options = options;
    this.budget = budget;
    this.features = features;
  }

  /**
   * A copy of this trainer whose 4-argument {@link #fit(TaskSpec, DeferralTable, DeferralTable,
   * TrainingListener)} builds its inputs with other feature options (e.g. without standardisation,
   * or with text features); the frozen model's probabilities do not apply (triage has none).
   */
  public TriageTrainer withFeatures(FeatureOptions f) {
    if (f == null) {
      throw new IllegalArgumentException("feature options must be given");
    }
    return new TriageTrainer(scorerFactory, options, budget, f);
  }

  /** The feature options of the 4-argument fit. */
  public FeatureOptions features() {
    return features;
  }

  /** The options. */
  public TrainOptions options() {
    return options;
  }

  /** The deferral budget b. */
  public double budget() {
    return budget;
  }

  /**
   * Trains a classifier with cross-entropy on the labels, then fine-tunes it under triage and
   * learns the triage policy.
   *
   * @param task a one-stage classification task (no frozen model) with at least one expert
   * @param train training rows (labels and expert answers)
   * @param validation rows for choosing the rejector's epoch and the budget threshold, or null
   * @param listener progress receiver
   */
  @Override
  public LearnedPolicy fit(
      TaskSpec task, DeferralTable train, DeferralTable validation, TrainingListener listener) {
    checkTask(task, train);
    FeaturePipeline pipeline = features.fit(task, train);
    DeferralTable t = train.withFeatures(pipeline.names(), pipeline.transform(train));
    DeferralTable v =
        validation == null
            ? null
            : validation.withFeatures(pipeline.names(), pipeline.transform(validation));
    LearnedPolicy policy = fit(task, pretrain(task, t, listener), t, v, listener);
    return policy
        .withFeatures(pipeline)
        .withProvenance(
            policy
                .provenance()
                .withOptions(Map.of("standardize", Boolean.toString(features.standardize()))));
  }

  /**
   * The classifier before triage: the factory's scorer with K outputs, trained by minibatch Adam on
   * the softmax cross-entropy of the labels (every row, no expert involved) — the "model alone"
   * baseline and the starting point of {@link #fit(TaskSpec, Scorer, DeferralTable, DeferralTable,
   * TrainingListener)}.
   *
   * @param task a one-stage classification task
   * @param train labelled training rows
   * @param listener progress receiver
   */
  public Scorer pretrain(TaskSpec task, DeferralTable train, TrainingListener listener) {
    checkTask(task, train);
    SplittableRandom rng = new SplittableRandom(options.seed());
    ScorerSpec spec = scorerFactory.spec(train.featureCount(), task.classCount());
    Scorer classifier = Scorers.create(spec, rng.split());
    int[] labels = train.labels();
    int k = task.classCount();
    fitter(rng.nextLong())
        .fit(
            classifier,
            train.featureBlock(),
            allRows(train.rows()),
            (rows, from, count, scores, dScores) -> {
              double loss = 0;
              for (int i = 0; i < count; i++) {
                loss +=
                    LabelCrossEntropy.evaluate(
                        scores, i * k, k, labels[rows[from + i]], dScores, i * k);
                for (int c = 0; c < k; c++) {
                  dScores[i * k + c] /= count;
                }
              }
              return loss / count;
            },
            null,
            listener);
    return classifier;
  }

  /**
   * Fine-tunes a pre-trained classifier under triage and learns the triage policy.
   *
   * @param task a one-stage classification task (no frozen model) with at least one expert
   * @param pretrained a linear or MLP scorer with K outputs over the table's features (copied, not
   *     modified)
   * @param train training rows (labels and expert answers)
   * @param validation rows for choosing the rejector's epoch and the budget threshold, or null
   * @param listener progress receiver
   * @throws IllegalArgumentException when the scorer's shape does not fit the task and table
   */
  public LearnedPolicy fit(
      TaskSpec task,
      Scorer pretrained,
      DeferralTable train,
      DeferralTable validation,
      TrainingListener listener) {
    checkTask(task, train);
    int k = task.classCount();
    int j = task.experts().size();
    Checks.checkDimension("classifier inputs", pretrained.inputDim(), train.featureCount());
    Checks.checkDimension("classifier outputs", pretrained.outputDim(), k);
    if (validation != null && !validation.featureNames().equals(train.featureNames())) {
      throw new IllegalArgumentException("validation features differ from training features");
    }
    SplittableRandom rng = new SplittableRandom(options.seed() ^ 0x7269616765L);
    CostMatrix costs = new CostModel(task).costs(train);
    int[] labels = train.labels();
    int n = train.rows();
    double[] expertCost = new double[n];
    for (int i = 0; i < n; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int e = 1; e <= j; e++) {
        if (costs.available(i, e)) {
          best = Math.min(best, costs.cost(i, e));
        }
      }
      expertCost[i] = best;
    }

    // Stage 1: fine-tune the classifier on the rows the triage keeps.
    Scorer classifier = pretrained.copy();
    long[] deferredRows = {0, 0};
    int[] all = allRows(n);
    fitter(rng.nextLong())
        .fit(
            classifier,
            train.featureBlock(),
            all,
            (rows, from, count, scores, dScores) -> {
              double[] p = new double[k];
              double[] row = new double[k];
              double[] excess = new double[count];
              double loss = 0;
              for (int i = 0; i < count; i++) {
                int r = rows[from + i];
                System.arraycopy(scores, i * k, row, 0, k);
                StableMath.softmax(row, p);
                excess[i] = (1 - p[labels[r]]) - expertCost[r];
              }
              boolean[] toExpert = assign(excess, (int) Math.floor(budget * count));
              for (int i = 0; i < count; i++) {
                int r = rows[from + i];
                deferredRows[1]++;
                if (toExpert[i]) {
                  deferredRows[0]++;
                  Arrays.fill(dScores, i * k, i * k + k, 0.0);
                  loss += expertCost[r];
                  continue;
                }
                loss += LabelCrossEntropy.evaluate(scores, i * k, k, labels[r], dScores, i * k);
                for (int c = 0; c < k; c++) {
                  dScores[i * k + c] /= count;
                }
              }
              return loss / count;
            },
            null,
            listener);

    // Stage 2: the triage policy, as the expert rows of a K + J output scorer.
    Scorer joint = widen(classifier, j);
    int[] predicted = predictions(classifier, train);
    Target[] targets = new Target[n];
    for (int i = 0; i < n; i++) {
      double[] c = new double[j + 1];
      c[0] = predicted[i] == labels[i] ? 0.0 : 1.0;
      for (int e = 1; e <= j; e++) {
        c[e] = costs.available(i, e) ? costs.cost(i, e) : Double.NaN;
      }
      targets[i] = Target.ofCosts(labels[i], c);
    }
    Surrogate rejectorLoss = Surrogates.complementaryCost(1.0);
    boolean[] trainable = expertRows(joint, k, j);
    FeaturePipeline identity = FeaturePipeline.of(train.featureNames(), List.of());
    DeferralTrainer.ValidationSet vs =
        validation == null
            ? null
            : new DeferralTrainer.ValidationSet(task, identity, ScoreHead.CLASS_MAX, validation);
    Validation val = vs == null ? null : s -> vs.evaluate(s, DecisionRules.argmax());
    int width = k + j;
    fitter(rng.nextLong())
        .withTrainable(trainable)
        .fit(
            joint,
            train.featureBlock(),
            all,
            (rows, from, count, scores, dScores) -> {
              double[] bar = new double[j + 1];
              double[] g = new double[j + 1];
              double loss = 0;
              for (int i = 0; i < count; i++) {
                int base = i * width;
                double top = scores[base];
                for (int c = 1; c < k; c++) {
                  top = Math.max(top, scores[base + c]);
                }
                bar[0] = top;
                System.arraycopy(scores, base + k, bar, 1, j);
                loss += rejectorLoss.evaluate(bar, targets[rows[from + i]], g);
                Arrays.fill(dScores, base, base + k, 0.0);
                for (int e = 1; e <= j; e++) {
                  dScores[base + k + e - 1] = g[e] / count;
                }
              }
              return loss / count;
            },
            val,
            listener);

    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("routing", "argmax over class and expert scores (ce layout)");
    opts.put("budget", Double.toString(budget));
    opts.put("learning_rate", Double.toString(options.learningRate()));
    opts.put("batch_size", Integer.toString(options.batchSize()));
    opts.put("scorer", pretrained.spec().toString());
    double rate = deferredRows[0] / (double) Math.max(1, deferredRows[1]);
    Provenance prov =
        new Provenance(
            "triage",
            "adam",
            options.seed(),
            options.epochs(),
            options.epochs(),
            n,
            "",
            "",
            "",
            opts,
            Map.of("triage_train_deferral_rate", rate));
    LearnedPolicy model =
        new LearnedPolicy(task, identity, joint, ScoreHead.CLASS_MAX, DecisionRules.argmax(), prov);
    if (budget < 1) {
      model =
          model.withRule(
              DecisionRules.threshold(
                  budgetThreshold(model, validation != null ? validation : train)));
    }
    if (validation != null) {
      model =
          model.withProvenance(
              model.provenance().withMetrics(DeferralTrainer.validationMetrics(model, validation)));
    }
    LOG.info(
        "triage: {} rows, {} of minibatch rows assigned to experts while fine-tuning",
        n,
        String.format(Locale.ROOT, "%.4f", rate));
    return model;
  }

  /**
   * The rows of a minibatch that go to the experts: those with positive excess loss, largest first,
   * at most {@code cap}. Ties are broken by position, so the result is deterministic.
   */
  static boolean[] assign(double[] excess, int cap) {
    int m = excess.length;
    boolean[] out = new boolean[m];
    Integer[] order = new Integer[m];
    int positive = 0;
    for (int i = 0; i < m; i++) {
      if (excess[i] > 0) {
        order[positive++] = i;
      }
    }
    if (positive <= cap) {
      for (int p = 0; p < positive; p++) {
        out[order[p]] = true;
      }
      return out;
    }
    Integer[] pos = Arrays.copyOf(order, positive);
    Arrays.sort(pos, (a, b) -> Double.compare(excess[b], excess[a]));
    for (int p = 0; p < cap; p++) {
      out[pos[p]] = true;
    }
    return out;
  }

  private static void checkTask(TaskSpec task, DeferralTable train) {
    if (task.hasFrozenModel()) {
      throw new IllegalArgumentException(
          "triage fine-tunes the classifier itself, but the task names a frozen model '"
              + task.model()
              + "'; remove 'model:' from the task or use a two-stage surrogate");
    }
    if (task.classCount() < 2) {
      throw new IllegalArgumentException("triage needs a classification task with classes");
    }
    if (task.experts().isEmpty()) {
      throw new IllegalArgumentException("the task declares no expert to defer to");
    }
    if (!train.hasLabels()) {
      throw new IllegalArgumentException(train.source() + ": triage needs the labels y");
    }
  }

  /** The classifier's argmax class on every row. */
  private static int[] predictions(Scorer classifier, DeferralTable table) {
    int n = table.rows();
    int k = classifier.outputDim();
    double[] s = new double[n * k];
    classifier.scoreRows(table.featureBlock(), 0, n, s, classifier.newWorkspace());
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (s[i * k + c] > s[i * k + best]) {
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /**
   * A scorer of the classifier's architecture with J more outputs: every layer copied, the last
   * layer's new rows and biases zero (so the rejector starts at "expert score 0").
   */
  private static Scorer widen(Scorer classifier, int experts) {
    ScorerSpec s = classifier.spec();
    int k = s.outputDim();
    ScorerSpec wide =
        new ScorerSpec(s.kind(), s.inputDim(), k + experts, s.hidden(), s.activation(), s.l2());
    int[] sizes = s.layerSizes();
    int last = sizes.length - 2;
    int offset = 0;
    for (int l = 0; l < last; l++) {
      offset += sizes[l + 1] * sizes[l] + sizes[l + 1];
    }
    int in = sizes[last];
    double[] from = classifier.parameters();
    double[] theta = new double[wide.parameterCount()];
    System.arraycopy(from, 0, theta, 0, offset);
    System.arraycopy(from, offset, theta, offset, k * in);
    System.arraycopy(from, offset + k * in, theta, offset + (k + experts) * in, k);
    return new org.defer4j.core.model.ScorerState(wide, theta).toScorer();
  }

  /** The parameters of the expert rows and biases of the last layer of a widened scorer. */
  private static boolean[] expertRows(Scorer joint, int classes, int experts) {
    int[] sizes = joint.spec().layerSizes();
    int last = sizes.length - 2;
    int offset = 0;
    for (int l = 0; l < last; l++) {
      offset += sizes[l + 1] * sizes[l] + sizes[l + 1];
    }
    int in = sizes[last];
    int out = classes + experts;
    boolean[] mask = new boolean[joint.parameterCount()];
    for (int a = classes; a < out; a++) {
      Arrays.fill(mask, offset + a * in, offset + (a + 1) * in, true);
      mask[offset + out * in + a] = true;
    }
    return mask;
  }

  /** The (1 − b)-quantile of the rejection scores, at least 0 (the argmax rule). */
  private double budgetThreshold(LearnedPolicy model, DeferralTable table) {
    double[] r =
        LearnedPolicy.margins(model.decide(table, Availability.observed(model.task(), table)));
    double[] finite = Arrays.stream(r).filter(Double::isFinite).sorted().toArray();
    if (finite.length == 0) {
      return 0.0;
    }
    int allowed = (int) Math.floor(budget * r.length);
    if (allowed >= finite.length) {
      return 0.0;
    }
    // Defer strictly above θ: θ = the score that leaves exactly `allowed` rows above it.
    double theta = finite[finite.length - 1 - allowed];
    return Math.max(0.0, theta);
  }

  /** The one fitter, with this trainer's options and the given seed of the minibatch order. */
  private ScorerFitter fitter(long seed) {
    return new ScorerFitter(options.withSeed(seed));
  }

  private static int[] allRows(int n) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    return rows;
  }
}
