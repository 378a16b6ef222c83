package org.defer4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.defer4j.core.feature.FeatureOptions;
import org.defer4j.core.feature.FeaturePipeline;
import org.defer4j.core.feature.FeatureStep;
import org.defer4j.core.feature.ModelProbabilities;
import org.defer4j.core.feature.Standardization;
import org.defer4j.core.loss.Surrogate;
import org.defer4j.core.loss.Surrogates;
import org.defer4j.core.model.Scorer;
import org.defer4j.core.model.ScorerSpec;
import org.defer4j.core.model.Scorers;
import org.defer4j.core.optim.Adam;
import org.defer4j.core.optim.AdamOptions;
import org.defer4j.core.optim.Lbfgs;
import org.defer4j.core.optim.LbfgsOptions;
import org.defer4j.core.optim.LbfgsResult;
import org.defer4j.core.policy.DecisionRules;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.policy.Provenance;
import org.defer4j.core.policy.ScoreHead;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.core.train.Algorithm;
import org.defer4j.core.train.DeferralTrainer;
import org.defer4j.core.train.Precision;
import org.defer4j.core.train.TrainOptions;
import org.defer4j.core.train.TrainingDivergedException;
import org.defer4j.core.train.TrainingProvenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a defer4j policy on a Spark {@code Dataset} with core's surrogates, scorers and optimizers
 * (DESIGN.md §6), the data staying in the executors:
 *
 * <ul>
 *   <li><b>Standardisation</b>: μ and σ from two distributed passes (sums, then centred squares),
 *       the two-pass computation of core's {@code Standardization.fit}.
 *   <li><b>L-BFGS</b> (full batch): core's {@link Lbfgs} runs on the driver; every evaluation of
 *       the objective ships the parameters to the partitions, each returns its part of the loss and
 *       gradient, and the driver sums them and adds the L2 penalty — the shape of Spark MLlib's
 *       linear models. The objective is the single-JVM one (same mean, penalty, standardisation,
 *       initialisation), so the policy equals {@code train --optimizer lbfgs}'s up to summation
 *       order.
 *   <li><b>Adam, gradients averaged</b> ({@link AdamMode#AVERAGE_GRADIENTS}): each global step
 *       takes every partition's share of a minibatch (a per-partition shuffle per epoch), the
 *       weighted mean gradient is formed on the driver and one Adam step is taken there: one Spark
 *       job per step.
 *   <li><b>Adam, local steps</b> ({@link AdamMode#LOCAL_STEPS}): every partition takes {@code
 *       syncEvery} Adam steps on its own rows from the averaged parameters and Adam moments, and
 *       the driver averages parameters and moments weighted by the partitions' weights: one job per
 *       {@code syncEvery} steps.
 * </ul>
 *
 * <p><b>Aggregation and determinism.</b> With {@code aggregationDepth} 1 (the default) each
 * partition's partial sum goes to the driver, which adds them in partition order, so the same seed
 * and the same partitioning give the same policy bit for bit. A depth of 2 or more uses {@code
 * treeAggregate} (partial sums combined on the executors first, less driver traffic with many
 * partitions); its combination order follows task completion, so policies then agree to rounding
 * only.
 */
public final class DistributedTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

  /** How data-parallel Adam combines the partitions. */
  public enum AdamMode {
    /** One global step per minibatch on the weighted mean of the partitions' gradients. */
    AVERAGE_GRADIENTS,
    /** Local Adam steps on each partition, parameters and moments averaged periodically. */
    LOCAL_STEPS;

    /** Parses {@code average} or {@code local}. */
    public static AdamMode parse(String s) {
      return switch (s) {
        case "average" -> AVERAGE_GRADIENTS;
        case "local" -> LOCAL_STEPS;
        default ->
            throw new IllegalArgumentException(
                "Adam mode '" + s + "' is not one of [average, local]");
      };
    }

    /** The spelling {@link #parse} reads. */
    public String spec() {
      return this == AVERAGE_GRADIENTS ? "average" : "local";
    }
  }

  /**
   * Spark-side settings.
   *
   * @param adamMode how Adam combines partitions
   * @param syncEvery local steps between averages ({@link AdamMode#LOCAL_STEPS}); 0 = once per
   *     epoch
   * @param aggregationDepth 1: partial sums added on the driver in partition order (deterministic);
   *     ≥ 2: {@code treeAggregate} of that depth
   */
  public record SparkOptions(AdamMode adamMode, int syncEvery, int aggregationDepth) {
    /** Validates. */
    public SparkOptions {
      if (adamMode == null) {
        throw new IllegalArgumentException("Adam mode must be given");
      }
      if (syncEvery < 0) {
        throw new IllegalArgumentException("syncEvery must be >= 0, got " + syncEvery);
      }
      if (aggregationDepth < 1) {
        throw new IllegalArgumentException(
            "aggregation depth must be >= 1, got " + aggregationDepth);
      }
    }

    /** Averaged gradients, depth 1. */
    public static SparkOptions defaults() {
      return new SparkOptions(AdamMode.AVERAGE_GRADIENTS, 0, 1);
    }
  }

  /** What one fit did, for logs and benchmarks. */
  /**
   * What one fit did, for logs and benchmarks.
   *
   * @param epochLoss Adam: the full training objective (mean surrogate + L2) at the end of each
   *     epoch, from one extra pass; L-BFGS: the final objective
   * @param epochSeconds Adam: seconds from the start of the fit to the end of each epoch's pass
   */
  public record FitLog(
      int partitions,
      long rows,
      int epochs,
      int jobs,
      double seconds,
      List<Double> epochLoss,
      List<Double> epochSeconds) {}

  private final String method;
  private final Surrogate surrogate;
  private final DeferralTrainer.ScorerFactory scorerFactory;
  private final TrainOptions options;
  private final FeatureOptions features;
  private final SparkOptions spark;
  private FitLog lastLog;

  /**
   * @param method the surrogate's catalogue name ({@code Surrogates.byName}), bound to the task as
   *     core's trainer does
   * @param scorerFactory the scorer architecture
   * @param options optimizer, epochs, learning rate, batch, patience and seed
   * @param features standardisation and the frozen model's probabilities (no text steps)
   * @param spark how the partitions are combined
   */
  public DistributedTrainer(
      String method,
      DeferralTrainer.ScorerFactory scorerFactory,
      TrainOptions options,
      FeatureOptions features,
      SparkOptions spark) {
    if (options.algorithm() == Algorithm.SGD) {
      throw new IllegalArgumentException(
          "defer4j-spark trains with lbfgs or adam; sgd is single-JVM only");
    }
    if (options.precision() != Precision.FLOAT64) {
      throw new IllegalArgumentException(
          "defer4j-spark trains in float64; float32 precision is single-JVM only");
    }
    if (!features.extraSteps().isEmpty()) {
      throw new IllegalArgumentException(
          "defer4j-spark reads numeric x.* features; text feature steps are single-JVM only");
    }
    this.method = method;
    this.surrogate = Surrogates.byName(method);
    this.scorerFactory = scorerFactory;
    this.options = options;
    this.features = features;
    this.spark = spark;
  }

  /** The log of the latest {@link #fit}, or null. */
  public FitLog lastLog() {
    return lastLog;
  }

  /**
   * Fits a policy.
   *
   * @param task the task
   * @param train labelled training rows
   * @param layout the training rows' layout ({@link SparkTableLayout#labelled})
   * @param validation labelled validation rows for Adam's early stopping and the policy's
   *     validation metrics, or null
   * @param validationLayout their layout, or null
   * @throws IllegalArgumentException when the surrogate does not fit the task or a table breaks the
   *     data contract
   */
  public LearnedPolicy fit(
      TaskSpec task,
      Dataset<Row> train,
      SparkTableLayout layout,
      Dataset<Row> validation,
      SparkTableLayout validationLayout) {
    Surrogate bound = surrogate.forTask(task);
    DeferralTrainer.checkFits(bound, task);
    long start = System.nanoTime();
    List<FeatureStep> steps = new ArrayList<>();
    if (features.modelProbabilities()) {
      if (!task.hasFrozenModel()) {
        throw new IllegalArgumentException(
            "model probability features need a frozen model; the task names none");
      }
      steps.add(new ModelProbabilities(task.model(), task.classes()));
    }
    if (layout.featureNames().isEmpty()) {
      throw new IllegalArgumentException("the training table has no features; nothing to learn");
    }
    TrainingSetup setup =
        new TrainingSetup(task, method, layout.featureNames(), features.modelProbabilities());
    FeaturePipeline raw = setup.rawPipeline();
    ScoreHead head = ScoreHead.of(bound);
    boolean readsConfidence = head.readsModelConfidence();
    JavaRDD<TrainingBlock> blocks =
        train
            .javaRDD()
            .mapPartitionsWithIndex(
                (p, it) ->
                    List.of(
                            TrainingBlock.of(
                                p,
                                layout.decode(it, p),
                                setup.task(),
                                setup.rawPipeline(),
                                readsConfidence))
                        .iterator(),
                true)
            .persist(StorageLevel.MEMORY_ONLY());
    int jobs = 0;
    try {
      Aggregator agg = new Aggregator(spark.aggregationDepth());
      double[] totals =
          agg.sum(blocks, b -> new double[] {b.rows, b.totalWeight()}, 2); // materialises
      jobs++;
      long n = (long) totals[0];
      double wTotal = totals[1];
      if (n == 0) {
        throw new IllegalArgumentException("cannot fit on 0 training rows");
      }
      if (!(wTotal > 0)) {
        throw new IllegalArgumentException("the training rows' weights sum to " + wTotal);
      }
      FeaturePipeline pipeline = raw;
      int d = raw.dimension();
      if (features.standardize() && d > 0) {
        double[] sums = agg.sum(blocks, TrainingBlock::featureSums, d + 1);
        double[] mu = new double[d];
        for (int j = 0; j < d; j++) {
          mu[j] = sums[j] / n;
        }
        double[] sq = agg.sum(blocks, b -> b.centredSquares(mu), d);
        jobs += 2;
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
          double s = Math.sqrt(sq[j] / n);
          sd[j] = s < Standardization.MIN_SCALE ? 1.0 : s;
        }
        int offset = layout.featureNames().size();
        for (FeatureStep step : steps) {
          int k = step.names().size();
          if (!step.standardized()) {
            Arrays.fill(mu, offset, offset + k, 0.0);
            Arrays.fill(sd, offset, offset + k, 1.0);
          }
          offset += k;
        }
        pipeline = raw.withStandardization(new Standardization(mu, sd));
      }
      int outputs = bound.scoreCount(task.classCount(), task.experts().size());
      ScorerSpec spec = scorerFactory.spec(pipeline.dimension(), outputs);
      // The single-JVM trainer's seeds: the scorer from the first split, the fitter from the next
      // long (Adam's per-epoch shuffles).
      SplittableRandom rng = new SplittableRandom(options.seed());
      Scorer scorer = Scorers.create(spec, rng.split());
      long fitSeed = rng.nextLong();
      LearnedPolicy template =
          new LearnedPolicy(
              task, pipeline, scorer, head, DecisionRules.argmax(), Provenance.of(bound.name()));
      double[] mean = pipeline.standardization() == null ? null : pipeline.standardization().mean();
      double[] scale =
          pipeline.standardization() == null ? null : pipeline.standardization().scale();
      SparkEvaluation.Tables val =
          validation == null ? null : SparkEvaluation.Tables.of(validation, validationLayout);
      Objective objective =
          new Objective(
              setup,
              PolicyCarrier.of(template),
              template.scorer().copy(),
              blocks,
              agg,
              wTotal,
              mean,
              scale);
      Fit fit =
          options.algorithm() == Algorithm.LBFGS
              ? lbfgs(objective)
              : adam(objective, template, n, fitSeed, val, start);
      jobs += fit.jobs;
      System.arraycopy(fit.theta, 0, scorer.parameters(), 0, fit.theta.length);
      Map<String, String> opts = TrainingProvenance.options(options, spec, features);
      opts.put("engine", "spark");
      opts.put("partitions", Integer.toString(blocks.getNumPartitions()));
      opts.put("aggregation_depth", Integer.toString(spark.aggregationDepth()));
      if (options.algorithm() == Algorithm.ADAM) {
        opts.put("adam_mode", spark.adamMode().spec());
        opts.put("sync_every", Integer.toString(spark.syncEvery()));
      }
      Provenance prov =
          TrainingProvenance.of(
              bound.name(),
              options,
              fit.epochs,
              fit.bestEpoch,
              (int) Math.min(Integer.MAX_VALUE, n),
              opts,
              Map.of());
      LearnedPolicy policy =
          new LearnedPolicy(task, pipeline, scorer, head, DecisionRules.argmax(), prov);
      if (val != null) {
        SparkEvaluation.Summary s = val.evaluate(PolicyCarrier.of(policy));
        jobs++;
        policy =
            policy.withProvenance(
                policy
                    .provenance()
                    .withMetrics(
                        TrainingProvenance.validationMetrics(
                            s.rows(), s.meanCost(), s.systemAccuracy(), s.coverage())));
        val.release();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      lastLog =
          new FitLog(
              blocks.getNumPartitions(),
              n,
              fit.epochs,
              jobs,
              seconds,
              fit.epochLoss,
              fit.epochSeconds);
      LOG.info(
          "fitted {} parameters with {} on Spark: {} rows in {} partitions, {} epochs, {} jobs,"
              + " {} s",
          scorer.parameterCount(),
          options.algorithm(),
          n,
          blocks.getNumPartitions(),
          fit.epochs,
          jobs,
          String.format(Locale.ROOT, "%.2f", seconds));
      return policy;
    } finally {
      blocks.unpersist(false);
    }
  }

  /** The fitted parameters and what the optimizer did. */
  private record Fit(
      double[] theta,
      int epochs,
      int bestEpoch,
      int jobs,
      List<Double> epochLoss,
      List<Double> epochSeconds) {}

  /**
   * The distributed objective both optimizers work on: the persisted training blocks, the template
   * policy's scorer as the executors rebuild it (the driver's copy holds the current parameters for
   * the L2 penalty), and the standardisation the blocks apply. Driver side only: the closures that
   * reach the executors capture its serialisable parts, never the record.
   */
  private record Objective(
      TrainingSetup setup,
      PolicyCarrier carrier,
      Scorer driverScorer,
      JavaRDD<TrainingBlock> blocks,
      Aggregator agg,
      double wTotal,
      double[] mean,
      double[] scale) {

    /**
     * The partitions' summed share of the mean surrogate over all training rows at {@code theta}
     * (no penalty): {loss, ∂loss/∂θ…} with {@code gradient}, else {loss} alone (less traffic).
     */
    double[] full(double[] theta, boolean gradient) {
      return agg.sum(
          blocks,
          fullLoss(carrier, setup, theta.clone(), wTotal, mean, scale, gradient),
          gradient ? 1 + theta.length : 1);
    }
  }

  /**
   * {@link Objective#full}'s per-partition sum; a static factory, so it captures only its
   * arguments.
   */
  private static Function<TrainingBlock, double[]> fullLoss(
      PolicyCarrier carrier,
      TrainingSetup setup,
      double[] theta,
      double wTotal,
      double[] mean,
      double[] scale,
      boolean gradient) {
    return b -> {
      double[] out = new double[1 + theta.length];
      b.addLoss(
          setup.surrogate(),
          scorerWith(carrier, theta),
          null,
          0,
          b.rows,
          wTotal,
          mean,
          scale,
          out,
          new double[theta.length]);
      return gradient ? out : new double[] {out[0]};
    };
  }

  /** A copy of the carried policy's scorer with parameters {@code theta} (on an executor). */
  private static Scorer scorerWith(PolicyCarrier carrier, double[] theta) {
    Scorer sc = carrier.policy().scorer().copy();
    System.arraycopy(theta, 0, sc.parameters(), 0, theta.length);
    return sc;
  }

  private Fit lbfgs(Objective objective) {
    Scorer driverScorer = objective.driverScorer();
    double[] params = driverScorer.parameters();
    int pc = params.length;
    int[] evaluations = {0};
    LbfgsResult result =
        new Lbfgs(LbfgsOptions.defaults().withMaxIterations(options.epochs()))
            .minimize(
                (x, gradOut) -> {
                  double[] s = objective.full(x, true);
                  evaluations[0]++;
                  System.arraycopy(x, 0, params, 0, pc);
                  System.arraycopy(s, 1, gradOut, 0, pc);
                  double total = s[0] + driverScorer.penalty(gradOut);
                  checkFinite(total, gradOut, evaluations[0]);
                  return total;
                },
                params.clone());
    return new Fit(
        result.x(),
        result.iterations(),
        result.iterations(),
        evaluations[0],
        List.of(result.value()),
        List.of());
  }

  private Fit adam(
      Objective objective,
      LearnedPolicy template,
      long n,
      long fitSeed,
      SparkEvaluation.Tables val,
      long start) {
    // The step closures go to the executors: they capture these locals, not the objective.
    TrainingSetup setup = objective.setup();
    PolicyCarrier carrier = objective.carrier();
    double[] mean = objective.mean();
    double[] scale = objective.scale();
    Aggregator agg = objective.agg();
    JavaRDD<TrainingBlock> blocks = objective.blocks();
    Scorer driverScorer = objective.driverScorer();
    double[] theta = driverScorer.parameters();
    int pc = theta.length;
    int steps = (int) Math.max(1, (n + options.batchSize() - 1) / options.batchSize());
    int syncEvery = spark.syncEvery() == 0 ? steps : Math.min(spark.syncEvery(), steps);
    Adam adam = new Adam(AdamOptions.defaults().withLearningRate(options.learningRate()), pc);
    SplittableRandom root = new SplittableRandom(fitSeed);
    List<Double> epochLoss = new ArrayList<>();
    List<Double> epochSeconds = new ArrayList<>();
    double[] best = theta.clone();
    double bestCost = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    int sinceBest = 0;
    int jobs = 0;
    int epoch = 0;
    double lr = options.learningRate();
    while (epoch < options.epochs()) {
      epoch++;
      long epochSeed = root.split().nextLong();
      if (spark.adamMode() == AdamMode.AVERAGE_GRADIENTS) {
        for (int s = 0; s < steps; s++) {
          int step = s;
          double[] th = theta.clone();
          double[] r =
              agg.sum(
                  blocks,
                  b -> {
                    int[] idx = b.epochOrder(epochSeed);
                    int from = b.stepFrom(step, steps);
                    int to = b.stepFrom(step + 1, steps);
                    double[] out = new double[2 + th.length];
                    double w = 0;
                    for (int i = from; i < to; i++) {
                      w += b.weight(idx[i]);
                    }
                    if (w > 0) {
                      // Σ w_i L_i (weight 1 = unnormalised); divided by the batch weight below.
                      double[] part = new double[1 + th.length];
                      b.addLoss(
                          setup.surrogate(),
                          scorerWith(carrier, th),
                          idx,
                          from,
                          to - from,
                          1.0,
                          mean,
                          scale,
                          part,
                          new double[th.length]);
                      System.arraycopy(part, 0, out, 0, part.length);
                    }
                    out[1 + th.length] = w;
                    return out;
                  },
                  2 + pc);
          jobs++;
          double wb = r[1 + pc];
          if (wb == 0) {
            continue;
          }
          double[] grad = new double[pc];
          for (int p = 0; p < pc; p++) {
            grad[p] = r[1 + p] / wb;
          }
          double batchLoss = r[0] / wb + driverScorer.penalty(grad);
          checkFinite(batchLoss, grad, epoch);
          adam.step(theta, grad);
        }
      } else {
        for (int first = 0; first < steps; first += syncEvery) {
          int f = first;
          int count = Math.min(syncEvery, steps - first);
          double[] th = theta.clone();
          double[] m1 = adam.firstMoments();
          double[] m2 = adam.secondMoments();
          long t = adam.steps();
          double[] r =
              agg.sum(
                  blocks,
                  b ->
                      b.localAdam(
                          setup.surrogate(),
                          scorerWith(carrier, th),
                          lr,
                          m1,
                          m2,
                          t,
                          epochSeed,
                          f,
                          count,
                          steps,
                          mean,
                          scale),
                  3 * pc + 2);
          jobs++;
          double w = r[3 * pc];
          double[] a1 = new double[pc];
          double[] a2 = new double[pc];
          for (int p = 0; p < pc; p++) {
            theta[p] = r[p] / w;
            a1[p] = r[pc + p] / w;
            a2[p] = r[2 * pc + p] / w;
          }
          adam.restore(a1, a2, t + count);
          checkFinite(0, theta, epoch);
        }
      }
      // The full objective at the epoch's end, one more pass (reported, not optimised), the same
      // in both modes so that they compare per second.
      double[] full = objective.full(theta, false);
      jobs++;
      epochLoss.add(full[0] + driverScorer.penalty(new double[pc]));
      epochSeconds.add((System.nanoTime() - start) / 1e9);
      if (val != null) {
        Scorer sc = template.scorer().copy();
        System.arraycopy(theta, 0, sc.parameters(), 0, pc);
        LearnedPolicy candidate =
            new LearnedPolicy(
                template.task(),
                template.features(),
                sc,
                template.head(),
                template.rule(),
                template.provenance());
        double cost = val.evaluate(PolicyCarrier.of(candidate)).meanCost();
        jobs++;
        if (cost < bestCost) {
          bestCost = cost;
          bestEpoch = epoch;
          best = theta.clone();
          sinceBest = 0;
        } else if (options.patience() > 0 && ++sinceBest >= options.patience()) {
          break;
        }
      }
    }
    double[] out = val == null ? theta.clone() : best;
    return new Fit(out, epoch, val == null ? epoch : bestEpoch, jobs, epochLoss, epochSeconds);
  }

  private static void checkFinite(double loss, double[] grad, int at) {
    boolean ok = Double.isFinite(loss);
    for (int p = 0; ok && p < grad.length; p++) {
      ok = Double.isFinite(grad[p]);
    }
    if (!ok) {
      throw new TrainingDivergedException(
          "training diverged at epoch/evaluation " + at + ": loss " + loss);
    }
  }

  /**
   * Sums one vector per partition: collected and added on the driver in partition order (depth 1),
   * or by {@code treeAggregate} of the given depth.
   */
  static final class Aggregator {
    private final int depth;

    Aggregator(int depth) {
      this.depth = depth;
    }

    <T> double[] sum(JavaRDD<T> rdd, Function<T, double[]> f, int length) {
      double[] total = new double[length];
      if (depth <= 1) {
        List<double[]> parts = rdd.map(f).collect();
        for (double[] p : parts) {
          add(total, p);
        }
        return total;
      }
      return rdd.map(f)
          .treeAggregate(
              total,
              (acc, v) -> {
                add(acc, v);
                return acc;
              },
              (a, b) -> {
                add(a, b);
                return a;
              },
              depth);
    }

    private static void add(double[] acc, double[] v) {
      for (int i = 0; i < acc.length; i++) {
        acc[i] += v[i];
      }
    }
  }
}
