package org.defer4j.core.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.loss.LabelCrossEntropy;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.task.TaskKind;
import org.defer4j.core.task.TaskSpec;

/**
 * Stage one of two-stage deferral: fits the model that the rejector will later route around, then
 * freezes it ({@link StageOneModel}). The seed paper ("A two-stage learning-to-defer approach for
 * multi-task learning", Montreuil et al. 2025, §3 and §4.3) trains a multi-task model h = (h_cls ∘
 * w, h_reg ∘ w) on a shared representation w; here:
 *
 * <ul>
 *   <li>{@link Heads#CLASSIFIER}: K logits, loss −log softmax(s)_y ({@link LabelCrossEntropy});
 *   <li>{@link Heads#REGRESSOR}: one output u, loss smooth-L1(u − z) with z = (t − μ_t)/σ_t;
 *   <li>{@link Heads#MULTI_HEAD}: K logits and one regression output on a shared trunk, loss −log
 *       softmax(s_{0..K−1})_y + λ · smooth-L1(s_K − z).
 * </ul>
 *
 * <p>A shared MLP trunk followed by a linear classification head and a linear regression head is
 * exactly an MLP whose last layer has K + 1 outputs (each head reads the same last hidden layer
 * through its own rows of the output matrix), so the multi-head model is a {@link Scorer} built
 * from the given {@link DeferralTrainer.ScorerFactory} and fitted by {@link ScorerFitter}.
 * Smooth-L1 is Huber with δ = 1 (PyTorch's default); the regression head learns the standardised
 * target so that λ weighs tasks on comparable scales, and predictions are mapped back to the
 * target's units (its mean and sample standard deviation are kept in the model). The inputs go
 * through the {@link FeaturePipeline} that {@link FeatureOptions#defaults()} fits on the training
 * table — features matched by name, standardised with the training rows' statistics — and that the
 * model carries, so any table with those features, in any column order, can be scored. Early
 * stopping watches the same loss on the validation rows.
 */
public final class StageOneTrainer implements Trainer<StageOneModel> {
  /** Which heads the model has. */
  public enum Heads {
    /** A classifier. */
    CLASSIFIER,
    /** A regressor. */
    REGRESSOR,
    /** A classifier and a regressor on a shared representation. */
    MULTI_HEAD;

    /** The heads a task kind needs: classification, regression or multitask. */
    public static Heads of(TaskKind kind) {
      return switch (kind) {
        case CLASSIFICATION -> CLASSIFIER;
        case REGRESSION -> REGRESSOR;
        case MULTITASK -> MULTI_HEAD;
        case COSTS ->
            throw new IllegalArgumentException(
                "a costs task has no truth to train a model on; give its outputs as data");
      };
    }

    /** Whether the model predicts classes. */
    public boolean classifies() {
      return this != REGRESSOR;
    }

    /** Whether the model predicts a number. */
    public boolean regresses() {
      return this != CLASSIFIER;
    }

    /** Number of outputs for K classes. */
    public int outputs(int classes) {
      return (classifies() ? classes : 0) + (regresses() ? 1 : 0);
    }
  }

  private final DeferralTrainer.ScorerFactory scorerFactory;
  private final double lambda;
  private final TrainOptions options;

  /**
   * @param scorerFactory the architecture (an MLP gives the shared trunk)
   * @param lambda λ ≥ 0, the weight of the regression loss in the multi-head loss
   * @param options optimiser, epochs, batch, patience and seed
   */
  public StageOneTrainer(
      DeferralTrainer.ScorerFactory scorerFactory, double lambda, TrainOptions options) {
    this.scorerFactory = scorerFactory;
    this.lambda = Checks.checkNonNegative("stage-one lambda", lambda);
    this.options = options;
  }

  /**
   * Fits the model the task needs ({@link Heads#of}) on the training rows.
   *
   * @param task the task: its kind picks the heads, its {@code model:} names the result
   * @param train training rows with {@code y} and/or {@code t}
   * @param validation rows for early stopping, or null; its features are matched by name
   * @param listener progress receiver
   * @throws IllegalArgumentException when the tables lack the truth or the training table has no
   *     features, or the validation table lacks one of them (naming {@code x.<name>})
   */
  @Override
  public StageOneModel fit(
      TaskSpec task, DeferralTable train, DeferralTable validation, TrainingListener listener) {
    Heads heads = Heads.of(task.kind());
    int k = heads.classifies() ? task.classCount() : 0;
    checkTable(train, heads);
    if (validation != null) {
      checkTable(validation, heads);
    }
    if (train.featureCount() == 0) {
      throw new IllegalArgumentException(train.source() + ": no x.* features to learn from");
    }
    FeaturePipeline pipeline = FeatureOptions.defaults().fit(task, train);
    int d = pipeline.dimension();
    int n = train.rows();
    double tMean = 0;
    double tScale = 1;
    if (heads.regresses()) {
      double s = 0;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        s += train.target(i);
      }
      tMean = s / n;
      for (int i = 0; i < n; i++) {
        double r = train.target(i) - tMean;
        ss += r * r;
      }
      tScale = n > 1 && ss > 0 ? Math.sqrt(ss / (n - 1)) : 1.0;
    }
    String name = task.hasFrozenModel() ? task.model() : "model";
    ScorerSpec spec = scorerFactory.spec(d, heads.outputs(k));
    SplittableRandom rng = new SplittableRandom(options.seed());
    Scorer scorer = Scorers.create(spec, rng.split());
    double[] x = pipeline.transform(train);
    int[] labels = heads.classifies() ? train.labels() : null;
    double[] z = heads.regresses() ? standardisedTargets(train, tMean, tScale) : null;
    double lam = lambda;
    RowLoss loss =
        (row, scores, grad) ->
            loss(
                heads,
                k,
                lam,
                scores,
                labels == null ? -1 : labels[row],
                z == null ? Double.NaN : z[row],
                grad);
    Validation val = null;
    if (validation != null) {
      double[] vx = pipeline.transform(validation);
      int[] vl = heads.classifies() ? validation.labels() : null;
      double[] vz = heads.regresses() ? standardisedTargets(validation, tMean, tScale) : null;
      int vn = validation.rows();
      val =
          sc -> {
            double[] out = new double[vn * sc.outputDim()];
            sc.scoreRows(vx, 0, vn, out, sc.newWorkspace());
            double[] g = new double[sc.outputDim()];
            double[] row = new double[sc.outputDim()];
            double total = 0;
            int right = 0;
            for (int i = 0; i < vn; i++) {
              System.arraycopy(out, i * row.length, row, 0, row.length);
              total += loss(heads, k, lam, row, vl == null ? -1 : vl[i], vz == null ? 0 : vz[i], g);
              if (vl != null && argmax(row, k) == vl[i]) {
                right++;
              }
            }
            return new Validation.Result(total / vn, vl == null ? Double.NaN : right / (double) vn);
          };
    }
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    FitResult fit =
        new ScorerFitter(options.withSeed(rng.nextLong()))
            .fit(scorer, x, rows, null, loss, val, listener);
    return new StageOneModel(name, heads, task.classes(), scorer, pipeline, tMean, tScale, fit);
  }

  /**
   * The stage-one loss of one row and its gradient (see the class comment).
   *
   * @param heads which heads the scores hold
   * @param classes K (0 for a regressor)
   * @param lambda weight of the regression term in the multi-head loss
   * @param scores K logits and/or the standardised regression output (read only)
   * @param label y ∈ [0, K), ignored by a regressor
   * @param z the standardised target, ignored by a classifier
   * @param grad overwritten with ∂loss/∂scores
   */
  static double loss(
      Heads heads,
      int classes,
      double lambda,
      double[] scores,
      int label,
      double z,
      double[] grad) {
    Arrays.fill(grad, 0.0);
    double loss = 0;
    if (heads.classifies()) {
      loss += LabelCrossEntropy.evaluate(scores, 0, classes, label, grad, 0);
    }
    if (heads.regresses()) {
      double w = heads == Heads.MULTI_HEAD ? lambda : 1.0;
      int o = heads.classifies() ? classes : 0;
      double r = scores[o] - z;
      double a = Math.abs(r);
      loss += w * (a < 1 ? 0.5 * r * r : a - 0.5);
      grad[o] = w * (a < 1 ? r : Math.signum(r));
    }
    return loss;
  }

  private static int argmax(double[] s, int k) {
    int best = 0;
    for (int c = 1; c < k; c++) {
      if (s[c] > s[best]) {
        best = c;
      }
    }
    return best;
  }

  private static double[] standardisedTargets(DeferralTable t, double mean, double scale) {
    double[] z = new double[t.rows()];
    for (int i = 0; i < z.length; i++) {
      z[i] = (t.target(i) - mean) / scale;
    }
    return z;
  }

  private static void checkTable(DeferralTable t, Heads heads) {
    if (heads.classifies() && !t.hasLabels()) {
      throw new IllegalArgumentException(
          t.source() + ": stage one needs a 'y' column to train a classifier");
    }
    if (heads.regresses() && !t.hasTargets()) {
      throw new IllegalArgumentException(
          t.source() + ": stage one needs a 't' column to train a regressor");
    }
    if (t.rows() == 0) {
      throw new IllegalArgumentException(t.source() + ": no rows");
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "StageOneTrainer[lambda=%s, %s]", lambda, options);
  }
}
