package org.defer4j.core.train;

import java.util.List;
import org.defer4j.core.Checks;
import org.defer4j.core.data.AgentColumns;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.math.StableMath;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.Workspace;

/**
 * A frozen stage-one model ({@link StageOneTrainer}): it turns any table with the same features
 * into the agent columns of the two-stage setting, {@code m.<name>.y} (argmax class), {@code
 * m.<name>.p.<k>} (softmax of the logits) and {@code m.<name>.t} (regression output in the target's
 * units). Immutable.
 */
public final class StageOneModel {
  private final String name;
  private final StageOneTrainer.Heads heads;
  private final List<String> classes;
  private final Scorer scorer;
  private final List<String> featureNames;
  private final double[] mean;
  private final double[] scale;
  private final double targetMean;
  private final double targetScale;
  private final FitResult fit;

  StageOneModel(
      String name,
      StageOneTrainer.Heads heads,
      List<String> classes,
      Scorer scorer,
      List<String> featureNames,
      double[] mean,
      double[] scale,
      double targetMean,
      double targetScale,
      FitResult fit) {
    this.name = name;
    this.heads = heads;
    this.classes = List.copyOf(classes);
    this.scorer = scorer.copy();
    this.featureNames = List.copyOf(featureNames);
    this.mean = mean.clone();
    this.scale = scale.clone();
    this.targetMean = targetMean;
    this.targetScale = targetScale;
    this.fit = fit;
  }

  /** The agent name of the frozen model (the task's {@code model:}). */
  public String name() {
    return name;
  }

  /** Which heads the model has. */
  public StageOneTrainer.Heads heads() {
    return heads;
  }

  /** A copy of the fitted scorer (it reads standardised features). */
  public Scorer scorer() {
    return scorer.copy();
  }

  /** What the fit did. */
  public FitResult fit() {
    return fit;
  }

  /** Input feature names. */
  public List<String> featureNames() {
    return featureNames;
  }

  /**
   * The model's outputs on every row of a table.
   *
   * @throws IllegalArgumentException when the table's features differ from the model's
   */
  public AgentColumns outputs(DeferralTable table) {
    if (!table.featureNames().equals(featureNames)) {
      throw new IllegalArgumentException(
          table.source() + ": features differ from the stage-one model's " + featureNames);
    }
    int n = table.rows();
    int d = featureNames.size();
    int width = scorer.outputDim();
    double[] x = standardise(table.featureBlock(), d, mean, scale);
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

  static double[] standardise(double[] block, int d, double[] mean, double[] scale) {
    Checks.checkDimension("feature block remainder", block.length % Math.max(d, 1), 0);
    double[] out = new double[block.length];
    for (int i = 0; i < block.length; i++) {
      int j = i % d;
      out[i] = (block[i] - mean[j]) / scale[j];
    }
    return out;
  }
}
