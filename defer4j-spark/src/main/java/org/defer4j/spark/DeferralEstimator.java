package org.defer4j.spark;

import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.model.Activation;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.io.TaskSpecIo;

/**
 * A Spark ML {@link Estimator} that learns a deferral policy: {@link #fit} trains core's surrogate
 * ({@code method}) over core's scorer ({@code model}) with {@link DistributedTrainer} and returns a
 * {@link DeferralPolicyModel}. The agents, their fees and the cost weights come from the task spec
 * (the YAML of DESIGN.md §4, given as text with {@link #setTaskSpec(String)} or {@link
 * #setTask(TaskSpec)}); the input follows the defer4j data contract, with the features as {@code
 * x.*} columns or as one Spark ML {@code Vector} column ({@code featuresCol}).
 *
 * <p>Params and defaults are those of {@code defer4j train}: method (required), model {@code
 * linear}, activation {@code relu}, l2 0, optimizer {@code adam}, epochs 30, learningRate 1e-3,
 * batchSize 128, patience 5 (Adam with a validation table only), seed 0, standardize true,
 * modelProbabilities false; and for Spark, adamMode {@code average} (or {@code local}), syncEvery 0
 * (local steps between averages; 0 = once per epoch), aggregationDepth 1. Persisted with {@code
 * DefaultParamsWritable}.
 */
public final class DeferralEstimator extends Estimator<DeferralPolicyModel>
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;

  private final Param<String> taskSpec;

  private final Param<String> method;

  private final Param<String> model;

  private final Param<String> activation;

  private final DoubleParam l2;

  private final Param<String> optimizer;

  private final IntParam epochs;

  private final DoubleParam learningRate;

  private final IntParam batchSize;

  private final IntParam patience;

  private final LongParam seed;

  private final BooleanParam standardize;

  private final BooleanParam modelProbabilities;

  private final Param<String> adamMode;

  private final IntParam syncEvery;

  private final IntParam aggregationDepth;

  private final Param<String> featuresCol;

  private transient Dataset<Row> validation;
  private transient DistributedTrainer.FitLog lastFitLog;

  /** An estimator with a random uid. */
  public DeferralEstimator() {
    this(Identifiable$.MODULE$.randomUID("deferral"));
  }

  /** An estimator with the given uid (Spark ML's persistence calls this). */
  public DeferralEstimator(String uid) {
    this.uid = uid;
    taskSpec = new Param<>(this, "taskSpec", "the task spec (YAML text)");
    method = new Param<>(this, "method", "the surrogate loss, e.g. ce, ova, 2s-comp:1");
    model = new Param<>(this, "model", "the scorer: linear or mlp:H1,H2,...");
    activation = new Param<>(this, "activation", "MLP activation: relu, tanh or gelu");
    l2 = new DoubleParam(this, "l2", "L2 penalty on the weights");
    optimizer = new Param<>(this, "optimizer", "adam or lbfgs");
    epochs = new IntParam(this, "epochs", "epochs (L-BFGS: iterations)");
    learningRate = new DoubleParam(this, "learningRate", "Adam's learning rate");
    batchSize = new IntParam(this, "batchSize", "rows per global minibatch (Adam)");
    patience = new IntParam(this, "patience", "epochs without validation improvement (Adam)");
    seed = new LongParam(this, "seed", "seed of initialisation and shuffling");
    standardize = new BooleanParam(this, "standardize", "standardise the inputs");
    modelProbabilities =
        new BooleanParam(this, "modelProbabilities", "read the frozen model's probabilities");
    adamMode = new Param<>(this, "adamMode", "average (gradients) or local (steps)");
    syncEvery = new IntParam(this, "syncEvery", "local Adam steps between averages; 0: epoch");
    aggregationDepth = new IntParam(this, "aggregationDepth", "1: ordered sums; >= 2: tree");
    featuresCol = new Param<>(this, "featuresCol", "a Vector column of features; empty: x.*");
    setDefault(model, "linear");
    setDefault(activation, "relu");
    setDefault(l2, 0.0);
    setDefault(optimizer, "adam");
    setDefault(epochs, 30);
    setDefault(learningRate, 1e-3);
    setDefault(batchSize, 128);
    setDefault(patience, 5);
    setDefault(seed, 0L);
    setDefault(standardize, true);
    setDefault(modelProbabilities, false);
    setDefault(adamMode, "average");
    setDefault(syncEvery, 0);
    setDefault(aggregationDepth, 1);
    setDefault(featuresCol, "");
  }

  /** The task spec as YAML text. */
  public Param<String> taskSpec() {
    return taskSpec;
  }

  /** The surrogate, a catalogue name ({@code defer4j methods}): ce, ova, 2s-comp:1, .... */
  public Param<String> method() {
    return method;
  }

  /** The scorer: linear or mlp:H1,H2,.... */
  public Param<String> model() {
    return model;
  }

  /** MLP activation: relu, tanh or gelu. */
  public Param<String> activation() {
    return activation;
  }

  /** L2 penalty on the weights. */
  public DoubleParam l2() {
    return l2;
  }

  /** adam or lbfgs. */
  public Param<String> optimizer() {
    return optimizer;
  }

  /** Epochs (L-BFGS: iterations). */
  public IntParam epochs() {
    return epochs;
  }

  /** Adam's learning rate. */
  public DoubleParam learningRate() {
    return learningRate;
  }

  /** Rows per global minibatch (Adam). */
  public IntParam batchSize() {
    return batchSize;
  }

  /** Epochs without validation improvement before stopping (Adam with a validation table). */
  public IntParam patience() {
    return patience;
  }

  /** Seed of initialisation and shuffling. */
  public LongParam seed() {
    return seed;
  }

  /** Standardise the inputs with statistics from the training rows. */
  public BooleanParam standardize() {
    return standardize;
  }

  /** Append the frozen model's class probabilities to the inputs (two-stage). */
  public BooleanParam modelProbabilities() {
    return modelProbabilities;
  }

  /** How data-parallel Adam combines partitions: average (gradients) or local (steps). */
  public Param<String> adamMode() {
    return adamMode;
  }

  /** Local Adam steps between averages; 0 = once per epoch. */
  public IntParam syncEvery() {
    return syncEvery;
  }

  /** 1: partial sums added on the driver in partition order; ≥ 2: treeAggregate depth. */
  public IntParam aggregationDepth() {
    return aggregationDepth;
  }

  /** A Vector column holding the features; empty: the x.* columns. */
  public Param<String> featuresCol() {
    return featuresCol;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Sets the task spec from YAML text. */
  public DeferralEstimator setTaskSpec(String yaml) {
    TaskSpecIo.parse(yaml, "taskSpec");
    set(taskSpec, yaml);
    return this;
  }

  /** Sets the task spec. */
  public DeferralEstimator setTask(TaskSpec task) {
    set(taskSpec, TaskSpecIo.toYaml(task));
    return this;
  }

  /** Sets the surrogate. */
  public DeferralEstimator setMethod(String m) {
    set(method, m);
    return this;
  }

  /** Sets the scorer. */
  public DeferralEstimator setModel(String m) {
    set(model, m);
    return this;
  }

  /** Sets the optimizer (adam or lbfgs). */
  public DeferralEstimator setOptimizer(String o) {
    set(optimizer, o);
    return this;
  }

  /** Sets the epochs (L-BFGS: iterations). */
  public DeferralEstimator setEpochs(int e) {
    set(epochs, e);
    return this;
  }

  /** Sets Adam's learning rate. */
  public DeferralEstimator setLearningRate(double lr) {
    set(learningRate, lr);
    return this;
  }

  /** Sets the global minibatch size. */
  public DeferralEstimator setBatchSize(int b) {
    set(batchSize, b);
    return this;
  }

  /** Sets the patience. */
  public DeferralEstimator setPatience(int p) {
    set(patience, p);
    return this;
  }

  /** Sets the L2 penalty. */
  public DeferralEstimator setL2(double v) {
    set(l2, v);
    return this;
  }

  /** Sets the MLP activation. */
  public DeferralEstimator setActivation(String a) {
    set(activation, a);
    return this;
  }

  /** Sets the seed. */
  public DeferralEstimator setSeed(long s) {
    set(seed, s);
    return this;
  }

  /** Sets whether inputs are standardised. */
  public DeferralEstimator setStandardize(boolean s) {
    set(standardize, s);
    return this;
  }

  /** Sets whether the frozen model's probabilities are inputs. */
  public DeferralEstimator setModelProbabilities(boolean m) {
    set(modelProbabilities, m);
    return this;
  }

  /** Sets how Adam combines partitions (average or local). */
  public DeferralEstimator setAdamMode(String m) {
    DistributedTrainer.AdamMode.parse(m);
    set(adamMode, m);
    return this;
  }

  /** Sets the local steps between averages. */
  public DeferralEstimator setSyncEvery(int s) {
    set(syncEvery, s);
    return this;
  }

  /** Sets the aggregation depth. */
  public DeferralEstimator setAggregationDepth(int d) {
    set(aggregationDepth, d);
    return this;
  }

  /** Sets the Vector column of features (empty: x.* columns). */
  public DeferralEstimator setFeaturesCol(String c) {
    set(featuresCol, c);
    return this;
  }

  /**
   * Sets a labelled validation table (not a param: it is data): Adam's early stopping and the
   * validation metrics in the policy's provenance. Never a test table.
   */
  public DeferralEstimator setValidation(Dataset<Row> v) {
    this.validation = v;
    return this;
  }

  /** The task spec. */
  public TaskSpec getTask() {
    if (!isDefined(taskSpec)) {
      throw new IllegalArgumentException("the task spec is not set (setTaskSpec or setTask)");
    }
    return TaskSpecIo.parse(getOrDefault(taskSpec), "taskSpec");
  }

  private String features() {
    String c = getOrDefault(featuresCol);
    return c.isEmpty() ? null : c;
  }

  /** The trainer these params describe. */
  public DistributedTrainer trainer() {
    if (!isDefined(method)) {
      throw new IllegalArgumentException("the method is not set (setMethod)");
    }
    TrainOptions options =
        new TrainOptions(
            Algorithm.parse(getOrDefault(optimizer)),
            (Double) getOrDefault(learningRate),
            (Integer) getOrDefault(epochs),
            (Integer) getOrDefault(batchSize),
            (Integer) getOrDefault(patience),
            (Long) getOrDefault(seed));
    FeatureOptions f =
        FeatureOptions.defaults()
            .withStandardize((Boolean) getOrDefault(standardize))
            .withModelProbabilities((Boolean) getOrDefault(modelProbabilities));
    return new DistributedTrainer(
        getOrDefault(method),
        scorerFactory(getOrDefault(model), getOrDefault(activation), (Double) getOrDefault(l2)),
        options,
        f,
        new DistributedTrainer.SparkOptions(
            DistributedTrainer.AdamMode.parse(getOrDefault(adamMode)),
            (Integer) getOrDefault(syncEvery),
            (Integer) getOrDefault(aggregationDepth)));
  }

  /**
   * The scorer of {@code --model}: linear or mlp:H1,H2,....
   *
   * @throws IllegalArgumentException on another spelling
   */
  public static DeferralTrainer.ScorerFactory scorerFactory(
      String model, String activation, double l2) {
    if (model.equals("linear")) {
      return DeferralTrainer.linear(l2);
    }
    if (model.startsWith("mlp:")) {
      List<Integer> hidden;
      try {
        hidden =
            java.util.Arrays.stream(model.substring(4).split(",", -1))
                .map(String::trim)
                .map(Integer::valueOf)
                .toList();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "model '" + model + "' is not 'linear' or 'mlp:H1,H2,...' (e.g. mlp:64,64)", e);
      }
      if (hidden.isEmpty() || hidden.size() > 16 || hidden.stream().anyMatch(h -> h < 1)) {
        throw new IllegalArgumentException(
            "model '" + model + "': 1 to 16 hidden layers of at least 1 unit");
      }
      Activation act;
      try {
        act = Activation.valueOf(activation.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "activation " + activation + " is not one of [relu, tanh, gelu]", e);
      }
      return DeferralTrainer.mlp(hidden, act, l2);
    }
    throw new IllegalArgumentException(
        "model '" + model + "' is not 'linear' or 'mlp:H1,H2,...' (e.g. mlp:64,64)");
  }

  @Override
  public DeferralPolicyModel fit(Dataset<?> dataset) {
    TaskSpec task = getTask();
    Dataset<Row> train = dataset.toDF();
    SparkTableLayout layout =
        SparkTableLayout.labelled("training table", train.schema(), task, features());
    SparkTableLayout valLayout =
        validation == null
            ? null
            : SparkTableLayout.labelled("validation table", validation.schema(), task, features());
    DistributedTrainer trainer = trainer();
    LearnedPolicy policy = trainer.fit(task, train, layout, validation, valLayout);
    lastFitLog = trainer.lastLog();
    DeferralPolicyModel m = new DeferralPolicyModel(uid, policy);
    m.setFeaturesCol(getOrDefault(featuresCol));
    return m.setParent(this);
  }

  /** What the latest {@link #fit} did (partitions, jobs, per-epoch objective), or null. */
  public DistributedTrainer.FitLog lastFitLog() {
    return lastFitLog;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    TaskSpec task = getTask();
    SparkTableLayout.labelled("training table", schema, task, features());
    return schema;
  }

  @Override
  public DeferralEstimator copy(ParamMap extra) {
    DeferralEstimator e = defaultCopy(extra);
    e.validation = validation;
    return e;
  }

  /** Spark ML's reader of saved estimators. */
  public static MLReader<DeferralEstimator> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a saved estimator. */
  public static DeferralEstimator load(String path) {
    return read().load(path);
  }
}
