package org.defer4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.defer4j.core.Checks;
import org.defer4j.core.math.Sampling;
import org.defer4j.core.model.Float32Network;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.SparseRows;
import org.defer4j.core.model.Workspace;
import org.defer4j.core.optim.Adam;
import org.defer4j.core.optim.AdamOptions;
import org.defer4j.core.optim.Float32Adam;
import org.defer4j.core.optim.Lbfgs;
import org.defer4j.core.optim.LbfgsOptions;
import org.defer4j.core.optim.LbfgsResult;
import org.defer4j.core.optim.Optimizer;
import org.defer4j.core.optim.Sgd;
import org.defer4j.core.optim.SgdOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop of defer4j: fits a scorer's parameters to minimise a loss plus the scorer's
 * L2 penalty, by minibatch Adam or SGD or by full-batch L-BFGS. The loss is a per-row {@link
 * RowLoss} (weighted mean over each minibatch) or a {@link BatchLoss} over the minibatch as a
 * whole; an optional mask freezes parameters (they get a zero gradient). Every trainer of defer4j
 * fits through this class.
 *
 * <p>What happens around the optimisation steps is done by {@link FitListener}s, in this order: the
 * divergence check (a NaN or infinite loss or gradient stops the fit with a {@link
 * TrainingDivergedException} naming the epoch, the batch and, for a row loss, the row and its
 * scores), early stopping (keeps the parameters of the epoch of least validation cost and stops
 * after {@link TrainOptions#patience()} epochs without improvement), the listeners added with
 * {@link #withListener}, then progress to the caller's {@link TrainingListener}.
 *
 * <p>Determinism: the minibatch order of epoch e comes from the e-th split of a {@link
 * SplittableRandom} seeded with {@link TrainOptions#seed()}; the same inputs give the same
 * parameters bit for bit.
 *
 * <p>Sparse inputs: a dense feature block of which at most {@value #SPARSE_DENSITY} of the entries
 * are non-zero (hashed text features) is stored once per fit by its non-zeros ({@link SparseRows}),
 * and the scorer's first layer works on those only; the overloads that take a {@link SparseRows}
 * skip that scan. The result is the same optimisation up to the order of floating-point additions
 * in the first layer.
 */
public final class ScorerFitter {
  private static final Logger LOG = LoggerFactory.getLogger(ScorerFitter.class);

  /** Rows per forward/backward pass in a full-batch evaluation of a row loss. */
  private static final int CHUNK = 256;

  /**
   * The largest fraction of non-zero features at which a dense block is trained through its sparse
   * storage: the sparse first layer costs a few times more per non-zero than the vectorised dense
   * one per entry.
   */
  public static final double SPARSE_DENSITY = 0.1;

  private final TrainOptions options;
  private final boolean[] trainable;
  private final List<FitListener> listeners;

  /** A fitter with the given options, every parameter trainable and no extra listener. */
  public ScorerFitter(TrainOptions options) {
    this(options, null, List.of());
  }

  private ScorerFitter(TrainOptions options, boolean[] trainable, List<FitListener> listeners) {
    if (options == null) {
      throw new IllegalArgumentException("training options must be given");
    }
    this.options = options;
    this.trainable = trainable;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * A copy of this fitter that trains only the parameters whose mask entry is true; the others get
   * a zero gradient, so the optimisers (Adam and SGD without weight decay, L-BFGS) leave them
   * unchanged.
   *
   * @param mask one entry per scorer parameter (copied), or null for all
   */
  public ScorerFitter withTrainable(boolean[] mask) {
    return new ScorerFitter(options, mask == null ? null : mask.clone(), listeners);
  }

  /** A copy of this fitter that also runs {@code listener}, after early stopping. */
  public ScorerFitter withListener(FitListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener must be given");
    }
    List<FitListener> all = new ArrayList<>(listeners);
    all.add(listener);
    return new ScorerFitter(options, trainable, all);
  }

  /**
   * Fits {@code scorer} in place to the weighted mean of a per-row loss; on return it holds the
   * parameters of the best validation epoch (or the last ones without validation).
   *
   * @param scorer the scorer, initialised; its parameters are updated in place
   * @param features row-major n × d block
   * @param rows the training rows of the block
   * @param weights per-row weights indexed like the block, or null for unit weights
   * @param loss the per-row loss
   * @param validation evaluates the scorer on held-out rows, or null
   * @param listener progress receiver
   * @return what the fit did
   * @throws TrainingDivergedException on a NaN or infinite loss or gradient
   * @throws IllegalArgumentException on no rows, a row outside the block or a mask of the wrong
   *     length
   */
  public FitResult fit(
      Scorer scorer,
      double[] features,
      int[] rows,
      double[] weights,
      RowLoss loss,
      Validation validation,
      TrainingListener listener) {
    return fit(
        scorer,
        features,
        rows,
        new WeightedRowLoss(loss, weights, scorer.outputDim()),
        validation,
        listener);
  }

  /**
   * Fits {@code scorer} in place to a loss over whole minibatches (L-BFGS: over all rows at once);
   * otherwise as {@link #fit(Scorer, double[], int[], double[], RowLoss, Validation,
   * TrainingListener)}.
   */
  public FitResult fit(
      Scorer scorer,
      double[] features,
      int[] rows,
      BatchLoss loss,
      Validation validation,
      TrainingListener listener) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("cannot fit on 0 training rows");
    }
    if ((long) features.length
        < (long) (Arrays.stream(rows).max().getAsInt() + 1) * scorer.inputDim()) {
      throw new IllegalArgumentException("a training row lies outside the feature block");
    }
    long t0 = System.nanoTime();
    int d = scorer.inputDim();
    SparseRows sparse =
        features.length % d == 0 ? SparseRows.ofIfSparse(features, d, SPARSE_DENSITY) : null;
    return fitBlock(
        scorer,
        new Block(sparse == null ? features : null, sparse),
        rows,
        loss,
        validation,
        listener,
        t0);
  }

  /**
   * Fits {@code scorer} in place to the weighted mean of a per-row loss over rows of a sparse
   * feature block; otherwise as {@link #fit(Scorer, double[], int[], double[], RowLoss, Validation,
   * TrainingListener)}.
   */
  public FitResult fit(
      Scorer scorer,
      SparseRows features,
      int[] rows,
      double[] weights,
      RowLoss loss,
      Validation validation,
      TrainingListener listener) {
    return fit(
        scorer,
        features,
        rows,
        new WeightedRowLoss(loss, weights, scorer.outputDim()),
        validation,
        listener);
  }

  /**
   * Fits {@code scorer} in place to a loss over whole minibatches of a sparse feature block;
   * otherwise as {@link #fit(Scorer, double[], int[], BatchLoss, Validation, TrainingListener)}.
   */
  public FitResult fit(
      Scorer scorer,
      SparseRows features,
      int[] rows,
      BatchLoss loss,
      Validation validation,
      TrainingListener listener) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("cannot fit on 0 training rows");
    }
    if (features.columns() != scorer.inputDim()) {
      throw new IllegalArgumentException(
          "a sparse block of "
              + features.columns()
              + " columns for a scorer of "
              + scorer.inputDim()
              + " features");
    }
    if (Arrays.stream(rows).max().getAsInt() >= features.rows()) {
      throw new IllegalArgumentException("a training row lies outside the feature block");
    }
    return fitBlock(
        scorer, new Block(null, features), rows, loss, validation, listener, System.nanoTime());
  }

  private FitResult fitBlock(
      Scorer scorer,
      Block features,
      int[] rows,
      BatchLoss loss,
      Validation validation,
      TrainingListener listener,
      long t0) {
    if (trainable != null && trainable.length != scorer.parameterCount()) {
      throw new IllegalArgumentException(
          "trainable mask has "
              + trainable.length
              + " entries, the scorer "
              + scorer.parameterCount()
              + " parameters");
    }
    List<FitListener> all = new ArrayList<>();
    all.add(new DivergenceCheck());
    all.add(new EarlyStopping(options.patience()));
    all.addAll(listeners);
    all.add(new Progress(listener == null ? TrainingListener.NONE : listener));
    FitResult r =
        options.algorithm() == Algorithm.LBFGS
            ? fitLbfgs(scorer, features, rows, loss, validation, all, t0)
            : fitMinibatch(scorer, features, rows, loss, validation, all, t0);
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
      Block features,
      int[] rows,
      BatchLoss loss,
      Validation validation,
      List<FitListener> all,
      long t0) {
    int n = rows.length;
    int batch = Math.min(options.batchSize(), n);
    int batches = (n + batch - 1) / batch;
    double[] grad = new double[scorer.parameterCount()];
    Steps steps =
        options.precision() == Precision.FLOAT32
            ? new Float32Steps(scorer, features, loss, batch, grad)
            : new Float64Steps(scorer, features, loss, batch, grad);
    int[] order = rows.clone();
    SplittableRandom root = new SplittableRandom(options.seed());
    FitState state = new FitState(scorer, options.epochs(), batches, grad);
    List<EpochLog> history = new ArrayList<>();
    boolean stoppedEarly = false;
    all.forEach(l -> l.onStart(state));
    try {
      while (state.epoch < options.epochs()) {
        state.epoch++;
        Sampling.shuffle(order, root.split());
        steps.beginEpoch();
        double epochLoss = 0;
        for (int b = 0; b < batches; b++) {
          int from = b * batch;
          int count = Math.min(batch, n - from);
          double batchLoss = steps.gradient(features, order, from, count);
          state.batch = b;
          state.batchLoss = batchLoss;
          state.locator = () -> loss.locateNonFinite(order, from, count, steps.scores());
          state.gradientFinite = steps.beforeListeners();
          for (FitListener l : all) {
            l.onBatch(state);
          }
          steps.step();
          epochLoss += batchLoss * count;
        }
        steps.endEpoch();
        state.trainLoss = epochLoss / n;
        state.validation = validation == null ? null : validation.evaluate(scorer);
        for (FitListener l : all) {
          l.onEpoch(state);
        }
        history.add(state.epochLog());
        if (state.stopping()) {
          stoppedEarly = state.epoch < options.epochs();
          break;
        }
      }
    } finally {
      steps.endEpoch();
    }
    return finish(state, history, stoppedEarly, (long) n * state.epoch, t0);
  }

  /**
   * A minibatch fit's arithmetic: the batch gradient and the optimizer's step, in one precision.
   * The loop around it (shuffling, listeners, validation, early stopping) is the same for both.
   */
  private interface Steps {
    /** Before an epoch's batches. */
    void beginEpoch();

    /** The batch loss, penalty included, its gradient kept for {@link #step}. */
    double gradient(Block features, int[] order, int from, int count);

    /** The latest batch's scores, for the divergence check's report. */
    double[] scores();

    /**
     * Before the batch listeners run: makes what they read current and returns true when the
     * gradient is known finite (the divergence check then skips its scan), false when unknown.
     */
    boolean beforeListeners();

    /** One optimizer step with the kept gradient. */
    void step();

    /** After an epoch's batches (and once more when the fit ends): the scorer's θ is current. */
    void endEpoch();
  }

  /** Float64: the scorer's own passes and {@link Adam} or {@link Sgd} on its θ. */
  private final class Float64Steps implements Steps {
    private final Scorer scorer;
    private final double[] params;
    private final double[] grad;
    private final Optimizer opt;
    private final Pass pass;

    /**
     * Over sparse rows the first layer's weights are stored feature-major while the optimizer steps
     * (the sparse kernels then read each non-zero's weights contiguously; the steps are
     * element-wise, so the fit is bit for bit the same) and output-major whenever anything else
     * reads them: validation, the epoch listeners, the result. Listeners added with withListener
     * and a trainable mask see the published order throughout.
     */
    private final boolean reorder;

    Float64Steps(Scorer scorer, Block features, BatchLoss loss, int batch, double[] grad) {
      this.scorer = scorer;
      this.params = scorer.parameters();
      this.grad = grad;
      this.opt =
          options.algorithm() == Algorithm.ADAM
              ? new Adam(
                  AdamOptions.defaults().withLearningRate(options.learningRate()), params.length)
              : new Sgd(SgdOptions.momentum(options.learningRate()), params.length);
      this.pass = new Pass(scorer, loss, batch);
      this.reorder = features.sparse() != null && trainable == null && listeners.isEmpty();
    }

    @Override
    public void beginEpoch() {
      if (reorder) {
        scorer.featureMajorFirstLayer(true);
      }
    }

    @Override
    public double gradient(Block features, int[] order, int from, int count) {
      Arrays.fill(grad, 0.0);
      double batchLoss = pass.run(features, order, from, count, grad);
      batchLoss += scorer.penalty(grad);
      mask(grad);
      return batchLoss;
    }

    @Override
    public double[] scores() {
      return pass.scores;
    }

    @Override
    public boolean beforeListeners() {
      return false;
    }

    @Override
    public void step() {
      if (listeners.isEmpty()) {
        // The divergence check, the first listener, has just found the gradient finite.
        opt.stepFinite(params, grad);
      } else {
        opt.step(params, grad);
      }
    }

    @Override
    public void endEpoch() {
      if (reorder) {
        scorer.featureMajorFirstLayer(false);
      }
    }
  }

  /**
   * Float32: the passes of a {@link Float32Network} copy and {@link Float32Adam} on its parameters;
   * the scorer's θ is written back after every epoch (and, for listeners added with withListener,
   * before every batch's listeners, with the gradient in θ's layout). A dense block is converted to
   * float32 rows once when the fit starts (n × d floats beside the block) rather than batch by
   * batch.
   */
  private final class Float32Steps implements Steps {
    private final Scorer scorer;
    private final BatchLoss loss;
    private final Float32Network net;
    private final float[][] grad;
    private final double[] published;
    private final boolean[][] mask;
    private final Float32Adam opt;
    private final double[] scores;
    private final double[] dScores;
    private boolean dirty;

    /**
     * A dense block's rows in float32 (n × d floats once every row is converted), each converted
     * the first time a batch reads it; else null.
     */
    private final float[][] rows32;

    Float32Steps(Scorer scorer, Block features, BatchLoss loss, int batch, double[] published) {
      if (!Float32Network.supports(scorer)) {
        throw new IllegalArgumentException(
            "float32 precision is implemented for the linear and MLP scorers, not " + scorer);
      }
      if (loss.readsScorer()) {
        throw new IllegalArgumentException(
            "float32 precision cannot train a loss that runs the scorer's own passes (adversarial"
                + " training); use float64");
      }
      this.scorer = scorer;
      this.loss = loss;
      this.net = Float32Network.of(scorer);
      this.rows32 =
          features.sparse() == null
              ? new float[features.dense().length / scorer.inputDim()][]
              : null;
      this.grad = net.newRows();
      this.published = published;
      this.mask = trainable == null ? null : net.toRows(trainable);
      this.opt =
          new Float32Adam(AdamOptions.defaults().withLearningRate(options.learningRate()), grad);
      int outputs = batch * scorer.outputDim();
      this.scores = new double[outputs];
      this.dScores = new double[outputs];
    }

    @Override
    public void beginEpoch() {}

    @Override
    public double gradient(Block features, int[] order, int from, int count) {
      for (float[] row : grad) {
        Arrays.fill(row, 0f);
      }
      if (rows32 == null) {
        net.forwardBatch(features.sparse(), order, from, count, scores);
      } else {
        Float32Network.toFloatRows(features.dense(), scorer.inputDim(), order, from, count, rows32);
        net.forwardBatch(rows32, order, from, count, scores);
      }
      double batchLoss = loss.evaluate(order, from, count, scores, dScores);
      net.backwardBatch(dScores, grad);
      batchLoss += net.penalty(grad);
      if (mask != null) {
        for (int r = 0; r < grad.length; r++) {
          for (int i = 0; i < grad[r].length; i++) {
            if (!mask[r][i]) {
              grad[r][i] = 0f;
            }
          }
        }
      }
      return batchLoss;
    }

    @Override
    public double[] scores() {
      return scores;
    }

    @Override
    public boolean beforeListeners() {
      boolean finite = Checks.allFinite(grad);
      if (!finite || !listeners.isEmpty()) {
        net.toScorerLayout(grad, published);
      }
      if (!listeners.isEmpty()) {
        net.copyTo(scorer);
      }
      return finite;
    }

    @Override
    public void step() {
      opt.step(net.parameters(), grad);
      dirty = true;
    }

    @Override
    public void endEpoch() {
      if (dirty) {
        net.copyTo(scorer);
        dirty = false;
      }
    }
  }

  private FitResult fitLbfgs(
      Scorer scorer,
      Block features,
      int[] rows,
      BatchLoss loss,
      Validation validation,
      List<FitListener> all,
      long t0) {
    int n = rows.length;
    double[] params = scorer.parameters();
    // A row loss is a sum over rows, so it is evaluated in chunks against the total weight; a
    // batch loss needs every row in one pass.
    WeightedRowLoss rowLoss = loss instanceof WeightedRowLoss w ? w : null;
    int chunk = rowLoss != null ? Math.min(CHUNK, n) : n;
    Pass pass = new Pass(scorer, loss, chunk);
    double wSum = rowLoss != null ? rowLoss.weight(rows, 0, n) : Double.NaN;
    FitState state = new FitState(scorer, options.epochs(), 1, new double[params.length]);
    state.epoch = 1;
    state.locator =
        () -> {
          for (int from = 0; from < n; from += chunk) {
            int count = Math.min(chunk, n - from);
            pass.forward(features, rows, from, count);
            BatchLoss.NonFiniteRow r = loss.locateNonFinite(rows, from, count, pass.scores);
            if (r != null) {
              return r;
            }
          }
          return null;
        };
    all.forEach(l -> l.onStart(state));
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
                        rowLoss != null
                            ? pass.runChunk(rowLoss, features, rows, from, count, wSum, gradOut)
                            : pass.run(features, rows, from, count, gradOut);
                  }
                  total += scorer.penalty(gradOut);
                  mask(gradOut);
                  System.arraycopy(gradOut, 0, state.gradient(), 0, gradOut.length);
                  state.batch++;
                  state.batchLoss = total;
                  for (FitListener l : all) {
                    l.onBatch(state);
                  }
                  return total;
                },
                params.clone());
    System.arraycopy(result.x(), 0, params, 0, params.length);
    state.epoch = result.iterations();
    state.trainLoss = result.value();
    state.validation = validation == null ? null : validation.evaluate(scorer);
    for (FitListener l : all) {
      l.onEpoch(state);
    }
    return finish(state, List.of(state.epochLog()), false, (long) n * state.batch, t0);
  }

  private FitResult finish(
      FitState state, List<EpochLog> history, boolean stoppedEarly, long rowsProcessed, long t0) {
    state.restoreKept();
    int bestEpoch = state.hasKept() ? state.keptEpoch() : state.epoch;
    Validation.Result best = state.hasKept() ? state.keptValidation() : state.validation;
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new FitResult(
        state.epoch, bestEpoch, best, history, stoppedEarly, rowsProcessed, seconds);
  }

  private void mask(double[] grad) {
    if (trainable != null) {
      for (int p = 0; p < grad.length; p++) {
        if (!trainable[p]) {
          grad[p] = 0.0;
        }
      }
    }
  }

  /** Forward and backward passes over slices of rows, with the scratch they need. */
  private static final class Pass {
    private final Scorer scorer;
    private final BatchLoss loss;
    private final Workspace ws;
    final double[] scores;
    private final double[] dScores;

    Pass(Scorer scorer, BatchLoss loss, int capacity) {
      this.scorer = scorer;
      this.loss = loss;
      this.ws = scorer.newWorkspace();
      this.scores = new double[capacity * scorer.outputDim()];
      this.dScores = new double[capacity * scorer.outputDim()];
    }

    void forward(Block features, int[] rows, int from, int count) {
      if (features.sparse() != null) {
        scorer.forwardBatch(features.sparse(), rows, from, count, scores, ws);
      } else {
        scorer.forwardBatch(features.dense(), rows, from, count, scores, ws);
      }
    }

    /** Adds ∂L/∂θ of the slice's batch loss L to a gradient and returns L. */
    double run(Block features, int[] rows, int from, int count, double[] gradAccum) {
      forward(features, rows, from, count);
      double l = loss.evaluate(rows, from, count, scores, dScores);
      scorer.backwardBatch(dScores, ws, gradAccum);
      loss.addParameterGradient(gradAccum);
      return l;
    }

    /** As {@link #run}, for a chunk of a full-batch row loss normalised by the total weight. */
    double runChunk(
        WeightedRowLoss rowLoss,
        Block features,
        int[] rows,
        int from,
        int count,
        double wSum,
        double[] gradAccum) {
      forward(features, rows, from, count);
      double l = rowLoss.sum(rows, from, count, wSum, scores, dScores);
      scorer.backwardBatch(dScores, ws, gradAccum);
      return l;
    }
  }

  /** The training rows' features: a dense row-major block or its sparse storage (one is null). */
  private record Block(double[] dense, SparseRows sparse) {}

  /** The options. */
  public TrainOptions options() {
    return options;
  }
}
