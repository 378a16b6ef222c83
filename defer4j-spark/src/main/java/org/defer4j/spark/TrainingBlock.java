package org.defer4j.spark;

import java.util.SplittableRandom;
import org.defer4j.core.cost.CostMatrix;
import org.defer4j.core.cost.CostModel;
import org.defer4j.core.data.DeferralTable;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.feature.ModelProbabilities;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Target;
import org.defer4j.core.math.Sampling;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.Workspace;
import org.defer4j.core.optim.Adam;
import org.defer4j.core.optim.AdamOptions;
import org.defer4j.core.task.TaskSpec;

/**
 * One partition's training rows, built once and cached by Spark: the scorer inputs before
 * standardisation (row-major n × d), each row's training target, weight and — for surrogates whose
 * score 0 is the frozen model's confidence — that confidence. Standardisation is applied chunk by
 * chunk when the rows are scored, with exactly the arithmetic of core's {@code Standardization}, so
 * a cached block holds one copy of the inputs.
 *
 * <p>The objective is core's: the weighted mean of the surrogate over the rows, Σ_i (w_i / W) ·
 * L_i, with W the total weight of the rows it is taken over; the scorer's L2 penalty is added once
 * on the driver.
 */
final class TrainingBlock {
  /** Rows per forward/backward pass, as in core's full-batch fitter. */
  static final int CHUNK = 256;

  final int partition;
  final int rows;
  final int dimension;
  final double[] inputs;
  final Target[] targets;
  final double[] weights;
  final double[] confidence;

  /** Scratch of the latest epoch's row order (recomputed from the seed whenever it is missing). */
  private int[] order;

  private long orderSeed;

  private TrainingBlock(
      int partition,
      int dimension,
      double[] inputs,
      Target[] targets,
      double[] weights,
      double[] confidence) {
    this.partition = partition;
    this.rows = targets.length;
    this.dimension = dimension;
    this.inputs = inputs;
    this.targets = targets;
    this.weights = weights;
    this.confidence = confidence;
  }

  /**
   * Builds the block of a decoded partition.
   *
   * @param raw the pipeline without its standardisation
   * @param readsConfidence whether score 0 is the frozen model's confidence (an input)
   */
  static TrainingBlock of(
      int partition,
      DeferralTable table,
      TaskSpec task,
      FeaturePipeline raw,
      boolean readsConfidence) {
    int n = table.rows();
    double[] x = n == 0 ? new double[0] : raw.transform(table);
    Target[] t = new Target[n];
    if (n > 0) {
      CostMatrix costs = new CostModel(task).costs(table);
      for (int i = 0; i < n; i++) {
        int label = table.hasLabels() ? table.label(i) : Target.NO_LABEL;
        double value = table.hasTargets() ? table.target(i) : Double.NaN;
        t[i] = Target.fromCostMatrix(costs, i, label, value);
      }
    }
    double[] w = null;
    if (table.hasWeights()) {
      w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = table.weight(i);
      }
    }
    double[] conf =
        readsConfidence && n > 0
            ? ModelProbabilities.confidence(table, task.model(), task.classCount())
            : null;
    return new TrainingBlock(partition, raw.dimension(), x, t, w, conf);
  }

  double weight(int i) {
    return weights == null ? 1.0 : weights[i];
  }

  /** Σ_i w_i over the block. */
  double totalWeight() {
    double s = 0;
    for (int i = 0; i < rows; i++) {
      s += weight(i);
    }
    return s;
  }

  /** Σ_i x_ij per input j, then the row count: {@code d + 1} numbers. */
  double[] featureSums() {
    double[] out = new double[dimension + 1];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < dimension; j++) {
        out[j] += inputs[i * dimension + j];
      }
    }
    out[dimension] = rows;
    return out;
  }

  /** Σ_i (x_ij − μ_j)² per input j. */
  double[] centredSquares(double[] mean) {
    double[] out = new double[dimension];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < dimension; j++) {
        double c = inputs[i * dimension + j] - mean[j];
        out[j] += c * c;
      }
    }
    return out;
  }

  /** Computes the scorer's inputs of some rows into {@code out}, standardised when asked. */
  private void gather(int[] idx, int from, int count, double[] mean, double[] scale, double[] out) {
    int d = dimension;
    for (int i = 0; i < count; i++) {
      int r = idx == null ? from + i : idx[from + i];
      int src = r * d;
      int dst = i * d;
      if (mean == null) {
        System.arraycopy(inputs, src, out, dst, d);
      } else {
        for (int j = 0; j < d; j++) {
          out[dst + j] = (inputs[src + j] - mean[j]) / scale[j];
        }
      }
    }
  }

  /**
   * Adds Σ_i (w_i / wTotal) · L_i over the given rows to {@code out[0]} and its parameter gradient
   * to {@code out[1..]}, and Σ_i w_i to {@code out[out.length - 1]} when {@code withWeight}.
   *
   * @param idx row indices, or null for rows {@code from .. from + count)}
   */
  void addLoss(
      Surrogate surrogate,
      Scorer scorer,
      int[] idx,
      int from,
      int count,
      double wTotal,
      double[] mean,
      double[] scale,
      double[] out,
      double[] gradScratch) {
    int a = scorer.outputDim();
    Workspace ws = scorer.newWorkspace();
    int chunk = Math.min(CHUNK, Math.max(1, count));
    double[] x = new double[chunk * dimension];
    double[] scores = new double[chunk * a];
    double[] dScores = new double[chunk * a];
    double[] rowScores = new double[a];
    double[] rowGrad = new double[a];
    java.util.Arrays.fill(gradScratch, 0.0);
    double total = 0;
    for (int c = 0; c < count; c += chunk) {
      int m = Math.min(chunk, count - c);
      gather(idx, from + c, m, mean, scale, x);
      scorer.forwardBatch(x, 0, m, scores, ws);
      for (int i = 0; i < m; i++) {
        int r = idx == null ? from + c + i : idx[from + c + i];
        System.arraycopy(scores, i * a, rowScores, 0, a);
        if (confidence != null) {
          rowScores[0] = confidence[r];
        }
        double l = surrogate.evaluate(rowScores, targets[r], rowGrad);
        if (confidence != null) {
          rowGrad[0] = 0.0;
        }
        double w = weight(r) / wTotal;
        total += w * l;
        for (int k = 0; k < a; k++) {
          dScores[i * a + k] = w * rowGrad[k];
        }
      }
      if (m < chunk) {
        java.util.Arrays.fill(dScores, m * a, chunk * a, 0.0);
      }
      scorer.backwardBatch(dScores, ws, gradScratch);
    }
    out[0] += total;
    for (int p = 0; p < gradScratch.length; p++) {
      out[1 + p] += gradScratch[p];
    }
  }

  /**
   * This block's rows in the order of one epoch: a shuffle seeded by the epoch's seed and the
   * partition, so any task that recomputes it gets the same order.
   */
  int[] epochOrder(long epochSeed) {
    if (order == null || orderSeed != epochSeed) {
      int[] o = new int[rows];
      for (int i = 0; i < rows; i++) {
        o[i] = i;
      }
      Sampling.shuffle(
          o, new SplittableRandom(epochSeed ^ (0x9E3779B97F4A7C15L * (partition + 1))));
      order = o;
      orderSeed = epochSeed;
    }
    return order;
  }

  /** The rows of global step {@code step} of {@code steps} in this block's epoch order. */
  int stepFrom(int step, int steps) {
    return (int) ((long) rows * step / steps);
  }

  /**
   * Local Adam steps for one round of local-steps-with-averaging: starting from the averaged
   * parameters and optimizer state, steps {@code first .. first + count)} of the epoch on this
   * block's share of each step's rows. Returns (Σ w) · (θ, m, v) and Σ w, for a weighted average.
   */
  double[] localAdam(
      Surrogate surrogate,
      Scorer scorer,
      double learningRate,
      double[] moments1,
      double[] moments2,
      long adamSteps,
      long epochSeed,
      int first,
      int count,
      int stepsPerEpoch,
      double[] mean,
      double[] scale) {
    int pc = scorer.parameterCount();
    double[] theta = scorer.parameters();
    Adam adam = new Adam(AdamOptions.defaults().withLearningRate(learningRate), pc);
    adam.restore(moments1, moments2, adamSteps);
    int[] idx = epochOrder(epochSeed);
    double[] out = new double[1 + pc];
    double[] scratch = new double[pc];
    double[] grad = new double[pc];
    double shareWeight = 0;
    for (int s = first; s < first + count; s++) {
      int from = stepFrom(s, stepsPerEpoch);
      int to = stepFrom(s + 1, stepsPerEpoch);
      if (to <= from) {
        continue;
      }
      double w = 0;
      for (int i = from; i < to; i++) {
        w += weight(idx[i]);
      }
      shareWeight += w;
      if (w == 0) {
        continue;
      }
      java.util.Arrays.fill(out, 0.0);
      addLoss(surrogate, scorer, idx, from, to - from, w, mean, scale, out, scratch);
      System.arraycopy(out, 1, grad, 0, pc);
      scorer.penalty(grad);
      adam.step(theta, grad);
    }
    double wb = totalWeight();
    double[] result = new double[3 * pc + 2];
    double[] m1 = adam.firstMoments();
    double[] m2 = adam.secondMoments();
    for (int p = 0; p < pc; p++) {
      result[p] = wb * theta[p];
      result[pc + p] = wb * m1[p];
      result[2 * pc + p] = wb * m2[p];
    }
    result[3 * pc] = wb;
    result[3 * pc + 1] = shareWeight;
    return result;
  }
}
