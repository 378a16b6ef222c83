package org.defer4j.spark.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.defer4j.cli.options.FitOptions;
import org.defer4j.cli.options.PolicyOutput;
import org.defer4j.cli.options.TaskOption;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.core.task.TaskSpec;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.io.TaskSpecIo;
import org.defer4j.spark.DeferralEstimator;
import org.defer4j.spark.DeferralPolicyModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code defer4j spark train}: {@code defer4j train} as a Spark job. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a deferral policy on Spark: core's surrogates and scorers, full-batch L-BFGS over"
          + " gradients summed across partitions or data-parallel Adam. Writes a normal defer4j"
          + " policy file that 'defer4j route', the Java API and the server load."
    })
final class SparkTrainCommand implements SparkCommand.Job {
  @Spec CommandSpec spec;

  @Mixin SparkCommand.SessionOptions session = new SparkCommand.SessionOptions();

  @Option(
      names = "--data",
      required = true,
      description = "Training table: Parquet or CSV file, or a folder of part files.")
  String data;

  @Option(
      names = "--val",
      description = "Validation table: Adam's early stopping and the validation metrics.")
  String validation;

  @Mixin TaskOption taskOption = new TaskOption();

  @Option(
      names = "--method",
      required = true,
      description = "Surrogate loss, e.g. ce, ova, realizable, 2s-comp:1 (see 'defer4j methods').")
  String method;

  @Option(
      names = "--model",
      defaultValue = "linear",
      description = "Scorer: linear or mlp:H1,H2,... (default: ${DEFAULT-VALUE}).")
  String model;

  @Mixin FitOptions fitOptions = new FitOptions();

  @Mixin PolicyOutput policyOutput = new PolicyOutput();

  @Option(
      names = "--spark-model",
      description = "Also save the Spark ML model (params + the policy file) to this folder.")
  String sparkModel;

  @Option(
      names = "--optimizer",
      defaultValue = "adam",
      description = "adam or lbfgs (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(
      names = "--epochs",
      defaultValue = "30",
      description = "Maximum epochs (L-BFGS: iterations) (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--lr",
      defaultValue = "0.001",
      description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--batch",
      defaultValue = "128",
      description = "Global batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--patience",
      defaultValue = "5",
      description = "Epochs without validation improvement before stopping; 0: never.")
  int patience;

  @Option(names = "--no-standardize", description = "Do not standardise the inputs.")
  boolean noStandardize;

  @Option(
      names = "--model-probabilities",
      description = "Two-stage: the rejector also reads the frozen model's m.<model>.p.* columns.")
  boolean modelProbabilities;

  @Option(
      names = "--adam-mode",
      defaultValue = "average",
      description =
          "average (one step per global minibatch on the partitions' mean gradient) or local"
              + " (local Adam steps per partition, averaged every --sync-every steps) (default:"
              + " ${DEFAULT-VALUE}).")
  String adamMode;

  @Option(
      names = "--sync-every",
      defaultValue = "0",
      description = "--adam-mode local: steps between averages; 0: once per epoch.")
  int syncEvery;

  @Option(
      names = "--aggregation-depth",
      defaultValue = "1",
      description =
          "1: partition sums added on the driver in partition order (deterministic); >= 2:"
              + " treeAggregate of that depth (default: ${DEFAULT-VALUE}).")
  int aggregationDepth;

  @Mixin FeaturesColumn features = new FeaturesColumn();

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    if (epochs < 1 || batch < 1 || patience < 0 || !(learningRate > 0) || !(fitOptions.l2() >= 0)) {
      throw new IllegalArgumentException(
          "--epochs and --batch must be >= 1, --patience >= 0, --lr > 0 and --l2 >= 0");
    }
    TaskSpec taskSpec = TaskSpecIo.read(taskOption.task());
    DeferralEstimator est =
        new DeferralEstimator()
            .setTask(taskSpec)
            .setMethod(method)
            .setModel(model)
            .setActivation(fitOptions.activation())
            .setOptimizer(optimizer)
            .setEpochs(epochs)
            .setLearningRate(learningRate)
            .setBatchSize(batch)
            .setPatience(patience)
            .setL2(fitOptions.l2())
            .setSeed(fitOptions.seed())
            .setStandardize(!noStandardize)
            .setModelProbabilities(modelProbabilities)
            .setAdamMode(adamMode)
            .setSyncEvery(syncEvery)
            .setAggregationDepth(aggregationDepth)
            .setFeaturesCol(features.orEmpty());
    est.trainer(); // checks the options before Spark starts
    SparkSession spark = session.session("defer4j spark train");
    Dataset<Row> train = SparkTables.read(spark, data, session.partitions);
    if (validation != null) {
      est.setValidation(SparkTables.read(spark, validation, session.partitions));
    }
    log.printf(
        Locale.ROOT,
        "training %s (%s, %s) on Spark %s, %d partitions%n",
        method,
        model,
        optimizer,
        spark.sparkContext().master(),
        train.rdd().getNumPartitions());
    log.flush();
    long start = System.nanoTime();
    DeferralPolicyModel fitted = est.fit(train);
    double seconds = (System.nanoTime() - start) / 1e9;
    LearnedPolicy policy = fitted.policy();
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("data", data);
    prov.put("model", model);
    prov.put("train_seconds", String.format(Locale.ROOT, "%.3f", seconds));
    Path dataPath = Path.of(data);
    policy =
        policy.withProvenance(
            policy
                .provenance()
                .withOptions(prov)
                .withSource(
                    Files.isRegularFile(dataPath) ? PolicyArtifact.fileHash(dataPath) : "",
                    PolicyArtifact.version(),
                    java.time.Instant.now().toString()));
    PolicyArtifact.save(policy, policyOutput.out());
    if (sparkModel != null) {
      new DeferralPolicyModel(fitted.uid(), policy)
          .setFeaturesCol(features.orEmpty())
          .write()
          .overwrite()
          .save(sparkModel);
    }
    log.printf(
        Locale.ROOT,
        "trained %d rows in %.1f s (%d epochs/iterations); wrote %s%n",
        policy.provenance().trainRows(),
        seconds,
        policy.provenance().epochs(),
        policyOutput.out());
    Map<String, Double> m = policy.provenance().metrics();
    if (m.containsKey("validation_system_cost")) {
      log.printf(
          Locale.ROOT,
          "validation: accuracy=%s  cost=%s  coverage=%s%n",
          SparkCommand.pct(m.get("validation_system_accuracy")),
          SparkCommand.fmt(m.get("validation_system_cost")),
          SparkCommand.pct(m.get("validation_coverage")));
    }
    log.flush();
    session.release(spark);
    return 0;
  }
}
