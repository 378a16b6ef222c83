package org.defer4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.Workspace;
import org.defer4j.core.optim.Adam;
import org.defer4j.core.optim.AdamOptions;
import org.defer4j.core.optim.Lbfgs;
import org.defer4j.core.optim.LbfgsOptions;
import org.defer4j.core.optim.LbfgsResult;
import org.defer4j.core.optim.Optimizer;
import org.defer4j.core.optim.Sgd;
import org.defer4j.core.optim.SgdOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a scorer's parameters to minimise the weighted mean of a per-row loss plus the scorer's L2
 * penalty: minibatch Adam or SGD with early stopping on a validation target loss, or full-batch
 * L-BFGS.
 *
 * <p>Determinism: the minibatch order of epoch e comes from the e-th split of a {@link
 * SplittableRandom} seeded with {@link TrainOptions#seed()}; the same inputs give the same
 * parameters bit for bit. A NaN or infinite loss stops the fit with a {@link
 * TrainingDivergedException} naming the epoch, batch, row and the row's scores.
 */
public final class ScorerFitter {
  private static final Logger LOG = LoggerFactory.getLogger(ScorerFitter.class);

  private final TrainOptions options;

  /** A fitter with the given options. */
  public ScorerFitter(TrainOptions options) {
    this.options = options;
  }

  /**
   * Fits {@code scorer} in place; on return it holds the parameters of the best validation epoch
   * (or the last ones without validation).
   *
   * @param scorer the scorer, initialised; its parameters are updated in place
   * @param features row-major n × d block
   * @param rows the training rows of the block
   * @param weights per-row weights indexed like the block, or null for unit weights
   * @param loss the per-row loss
   * @param validation evaluates the scorer on held-out rows, or null
   * @param listener progress receiver
   * @return what the fit did
   */
  public FitResult fit(
      Scorer scorer,
      double[] features,
      int[] rows,
      double[] weights,
      RowLoss loss,
      Validation validation,
      TrainingListener listener) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("cannot fit on 0 training rows");
    }
    if ((long) features.length
        < (long) (Arrays.stream(rows).max().getAsInt() + 1) * scorer.inputDim()) {
      throw new IllegalArgumentException("a training row lies outside the feature block");
    }
    FitResult r =
        options.algorithm() == Algorithm.LBFGS
            ? fitLbfgs(scorer, features, rows, weights, loss, validation, listener)
            : fitMinibatch(scorer, features, rows, weights, loss, validation, listener);
    LOG.info(
        "fitted {} parameters with {}: {} epochs, best epoch {}, validation {}",
        scorer.parameterCount(),
        options.algorithm(),
        r.epochs(),
        r.bestEpoch(),
        r.best());
    return r;
  }

  private FitResult fitMinibatch(
      Scorer scorer,
      double[] features,
      int[] rows,
      double[] weights,
      RowLoss loss,
      Validation validation,
      TrainingListener listener) {
    int n = rows.length;
    int batch = Math.min(options.batchSize(), n);
    int batches = (n + batch - 1) / batch;
    double[] params = scorer.parameters();
    double[] grad = new double[params.length];
    Optimizer opt =
        options.algorithm() == Algorithm.ADAM
            ? new Adam(
                AdamOptions.defaults().withLearningRate(options.learningRate()), params.length)
            : new Sgd(SgdOptions.momentum(options.learningRate()), params.length);
    BatchPass pass = new BatchPass(scorer, loss, weights, batch);
    int[] order = rows.clone();
    SplittableRandom root = new SplittableRandom(options.seed());
    List<EpochLog> history = new ArrayList<>();
    double[] bestParams = params.clone();
    Validation.Result best = null;
    int bestEpoch = 0;
    int sinceBest = 0;
    boolean stoppedEarly = false;
    int epoch = 0;
    listener.onStart(options.epochs(), batches);
    while (epoch < options.epochs()) {
      epoch++;
      shuffle(order, root.split());
      double epochLoss = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * batch;
        int count = Math.min(batch, n - from);
        double wSum = 0;
        for (int i = 0; i < count; i++) {
          wSum += weights == null ? 1.0 : weights[order[from + i]];
        }
        Arrays.fill(grad, 0.0);
        double batchLoss = pass.run(features, order, from, count, wSum, epoch, b, grad);
        batchLoss += scorer.penalty(grad);
        for (double g : grad) {
          if (!Double.isFinite(g)) {
            throw new TrainingDivergedException(
                String.format(
                    Locale.ROOT,
                    "non-finite parameter gradient at epoch %d, batch %d (loss %s)",
                    epoch,
                    b,
                    batchLoss));
          }
        }
        opt.step(params, grad);
        epochLoss += batchLoss * count;
        listener.onBatch(epoch, b, batchLoss);
      }
      epochLoss /= n;
      Validation.Result v = validation == null ? null : validation.evaluate(scorer);
      boolean improved = v == null || best == null || v.cost() < best.cost() - 1e-12;
      if (improved) {
        best = v;
        bestEpoch = epoch;
        System.arraycopy(params, 0, bestParams, 0, params.length);
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      EpochLog log = new EpochLog(epoch, epochLoss, v, improved);
      history.add(log);
      listener.onEpoch(log);
      LOG.debug("epoch {}: loss {} validation {}", epoch, epochLoss, v);
      if (validation != null && options.patience() > 0 && sinceBest >= options.patience()) {
        stoppedEarly = epoch < options.epochs();
        break;
      }
    }
    System.arraycopy(bestParams, 0, params, 0, params.length);
    return new FitResult(epoch, bestEpoch, best, history, stoppedEarly);
  }

  private FitResult fitLbfgs(
      Scorer scorer,
      double[] features,
      int[] rows,
      double[] weights,
      RowLoss loss,
      Validation validation,
      TrainingListener listener) {
    int n = rows.length;
    double[] params = scorer.parameters();
    int chunk = 256;
    BatchPass pass = new BatchPass(scorer, loss, weights, chunk);
    double wTotal = 0;
    for (int r : rows) {
      wTotal += weights == null ? 1.0 : weights[r];
    }
    final double wSum = wTotal;
    int[] iteration = {0};
    listener.onStart(options.epochs(), 1);
    LbfgsResult result =
        new Lbfgs(LbfgsOptions.defaults().withMaxIterations(options.epochs()))
            .minimize(
                (x, gradOut) -> {
                  System.arraycopy(x, 0, params, 0, params.length);
                  Arrays.fill(gradOut, 0.0);
                  double total = 0;
                  for (int from = 0; from < n; from += chunk) {
                    int count = Math.min(chunk, n - from);
                    total +=
                        pass.run(
                            features,
                            rows,
                            from,
                            count,
                            wSum,
                            iteration[0] + 1,
                            from / chunk,
                            gradOut);
                  }
                  total += scorer.penalty(gradOut);
                  iteration[0]++;
                  listener.onBatch(1, iteration[0], total);
                  return total;
                },
                params.clone());
    System.arraycopy(result.x(), 0, params, 0, params.length);
    Validation.Result v = validation == null ? null : validation.evaluate(scorer);
    EpochLog log = new EpochLog(result.iterations(), result.value(), v, true);
    listener.onEpoch(log);
    return new FitResult(result.iterations(), result.iterations(), v, List.of(log), false);
  }

  /**
   * One forward and backward pass over a slice of rows: adds Σ_i (w_i / wSum) · dL_i/dθ to a
   * gradient and returns Σ_i (w_i / wSum) · L_i.
   */
  private static final class BatchPass {
    private final Scorer scorer;
    private final RowLoss loss;
    private final double[] weights;
    private final Workspace ws;
    private final int a;
    private final double[] scores;
    private final double[] dScores;
    private final double[] rowScores;
    private final double[] rowGrad;

    BatchPass(Scorer scorer, RowLoss loss, double[] weights, int capacity) {
      this.scorer = scorer;
      this.loss = loss;
      this.weights = weights;
      this.ws = scorer.newWorkspace();
      this.a = scorer.outputDim();
      this.scores = new double[capacity * a];
      this.dScores = new double[capacity * a];
      this.rowScores = new double[a];
      this.rowGrad = new double[a];
    }

    double run(
        double[] features,
        int[] order,
        int from,
        int count,
        double wSum,
        int epoch,
        int batch,
        double[] gradAccum) {
      scorer.forwardBatch(features, order, from, count, scores, ws);
      double total = 0;
      for (int i = 0; i < count; i++) {
        int row = order[from + i];
        System.arraycopy(scores, i * a, rowScores, 0, a);
        double l = loss.evaluate(row, rowScores, rowGrad);
        checkFinite(l, rowGrad, epoch, batch, row, rowScores);
        double w = (weights == null ? 1.0 : weights[row]) / wSum;
        total += w * l;
        for (int k = 0; k < a; k++) {
          dScores[i * a + k] = w * rowGrad[k];
        }
      }
      scorer.backwardBatch(dScores, ws, gradAccum);
      return total;
    }
  }

  private static void checkFinite(
      double loss, double[] grad, int epoch, int batch, int row, double[] scores) {
    boolean ok = Double.isFinite(loss);
    for (int k = 0; ok && k < grad.length; k++) {
      ok = Double.isFinite(grad[k]);
    }
    if (!ok) {
      throw new TrainingDivergedException(
          String.format(
              Locale.ROOT,
              "non-finite loss %s or gradient %s at epoch %d, batch %d, row %d; scores %s",
              loss,
              Arrays.toString(grad),
              epoch,
              batch,
              row,
              Arrays.toString(scores)));
    }
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** The options. */
  public TrainOptions options() {
    return options;
  }
}
