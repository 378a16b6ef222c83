package org.defer4j.core.train;

import java.util.List;
import org.defer4j.core.Checks;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.Workspace;

/**
 * A frozen stage-one model ({@link StageOneTrainer}): it turns any table with its features (matched
 * by name, in any column order) into the agent columns of the two-stage setting, {@code m.<name>.y}
 * (argmax class), {@code m.<name>.p.<k>} (softmax of the logits) and {@code m.<name>.t} (regression
 * output in the target's units, u · σ_t + μ_t). The inputs go through the model's {@link
 * FeaturePipeline} (standardised with the training table's statistics). Immutable and thread-safe.
 */
public final class StageOneModel {
  private static final FitResult NOT_RECORDED = new FitResult(0, 0, null, List.of(), false);

  private final String name;
  private final StageOneTrainer.Heads heads;
  private final List<String> classes;
  private final Scorer scorer;
  private final FeaturePipeline features;
  private final double targetMean;
  private final double targetScale;
  private final FitResult fit;

  /**
   * A stage-one model from its parts (the trainer's result, or an artifact being loaded).
   *
   * @param name the agent name of the frozen model
   * @param heads which heads the scorer's outputs are
   * @param classes the task's classes in index order (may be empty for a regressor)
   * @param scorer the fitted scorer (copied): {@link FeaturePipeline#dimension()} inputs, {@link
   *     StageOneTrainer.Heads#outputs(int) heads.outputs(K)} outputs, the regression output
   *     standardised
   * @param features the pipeline that builds the scorer's inputs
   * @param targetMean μ_t of the regression target (0 without a regression head)
   * @param targetScale σ_t &gt; 0 of the regression target (1 without a regression head)
   * @param fit what the fit did
   * @throws IllegalArgumentException when the parts do not fit together
   */
  public StageOneModel(
      String name,
      StageOneTrainer.Heads heads,
      List<String> classes,
      Scorer scorer,
      FeaturePipeline features,
      double targetMean,
      double targetScale,
      FitResult fit) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a stage-one model needs a name");
    }
    if (heads == null || features == null || scorer == null || fit == null) {
      throw new IllegalArgumentException("a stage-one model needs heads, scorer, features and fit");
    }
    if (heads.classifies() && classes.size() < 2) {
      throw new IllegalArgumentException(
          "a stage-one classifier needs at least 2 classes, got " + classes);
    }
    int k = heads.classifies() ? classes.size() : 0;
    Checks.checkDimension("stage-one scorer inputs", scorer.inputDim(), features.dimension());
    Checks.checkDimension("stage-one scorer outputs", scorer.outputDim(), heads.outputs(k));
    Checks.checkFinite("stage-one target mean", targetMean);
    if (!(targetScale > 0) || Double.isInfinite(targetScale)) {
      throw new IllegalArgumentException(
          "stage-one target scale must be finite and > 0, got " + targetScale);
    }
    this.name = name;
    this.heads = heads;
    this.classes = List.copyOf(classes);
    this.scorer = scorer.copy();
    this.features = features;
    this.targetMean = targetMean;
    this.targetScale = targetScale;
    this.fit = fit;
  }

  /**
   * A stage-one model restored from an artifact, whose {@link #fit()} was not recorded (0 epochs,
   * empty history); otherwise as the constructor.
   */
  public static StageOneModel restore(
      String name,
      StageOneTrainer.Heads heads,
      List<String> classes,
      Scorer scorer,
      FeaturePipeline features,
      double targetMean,
      double targetScale) {
    return new StageOneModel(
        name, heads, classes, scorer, features, targetMean, targetScale, NOT_RECORDED);
  }

  /** The agent name of the frozen model (the task's {@code model:}). */
  public String name() {
    return name;
  }

  /** Which heads the model has. */
  public StageOneTrainer.Heads heads() {
    return heads;
  }

  /** The classes in index order (as given; a regressor may have none). */
  public List<String> classes() {
    return classes;
  }

  /** A copy of the fitted scorer (it reads the pipeline's standardised inputs). */
  public Scorer scorer() {
    return scorer.copy();
  }

  /** The feature pipeline that builds the scorer's inputs from a table or a case. */
  public FeaturePipeline features() {
    return features;
  }

  /** The regression target's training mean μ_t (0 without a regression head). */
  public double targetMean() {
    return targetMean;
  }

  /** The regression target's training standard deviation σ_t (1 without a regression head). */
  public double targetScale() {
    return targetScale;
  }

  /** What the fit did (0 epochs and no history for a restored model). */
  public FitResult fit() {
    return fit;
  }

  /** The input feature names read from {@code x.*}, in the scorer's input order. */
  public List<String> featureNames() {
    return features.columns();
  }

  /**
   * The model's outputs on every row of a table.
   *
   * @throws IllegalArgumentException naming the table and {@code x.<name>} when it lacks a feature
   *     the model reads
   */
  public AgentColumns outputs(DeferralTable table) {
    int n = table.rows();
    int width = scorer.outputDim();
    double[] x = features.transform(table);
    double[] s = new double[n * width];
    Workspace ws = scorer.newWorkspace();
    scorer.scoreRows(x, 0, n, s, ws);
    int k = heads.classifies() ? classes.size() : 0;
    int[] pred = heads.classifies() ? new int[n] : null;
    double[] prob = heads.classifies() ? new double[n * k] : null;
    double[] value = heads.regresses() ? new double[n] : null;
    double[] logits = new double[k];
    double[] p = new double[k];
    for (int i = 0; i < n; i++) {
      if (heads.classifies()) {
        System.arraycopy(s, i * width, logits, 0, k);
        StableMath.softmax(logits, p);
        System.arraycopy(p, 0, prob, i * k, k);
        int best = 0;
        for (int c = 1; c < k; c++) {
          if (logits[c] > logits[best]) {
            best = c;
          }
        }
        pred[i] = best;
      }
      if (heads.regresses()) {
        value[i] = targetMean + targetScale * s[i * width + k];
      }
    }
    return new AgentColumns(n, pred, value, prob, k, null);
  }

  /** The table with this model's columns added under its name. */
  public DeferralTable attach(DeferralTable table) {
    return table.withAgent(name, outputs(table));
  }

  @Override
  public String toString() {
    return "StageOneModel[" + name + ", " + heads + ", " + features + ", " + scorer.spec() + "]";
  }
}
