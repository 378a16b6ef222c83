package org.defer4j.spark.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.spark.SparkEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code defer4j spark evaluate}: a policy's system cost and accuracy as a Spark job. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a trained policy on a labelled table on Spark: every partition is decided and"
          + " scored where it lies, only sums reach the driver. Reports system accuracy, mean"
          + " cost, coverage, the allocation and the oracle's cost."
    })
final class SparkEvaluateCommand implements SparkCommand.Job {
  @Spec CommandSpec spec;

  @Mixin SparkCommand.SessionOptions session = new SparkCommand.SessionOptions();

  @Option(
      names = "--policy",
      required = true,
      description = "Trained policy file, or a Spark ML model folder.")
  Path policy;

  @Option(
      names = "--data",
      required = true,
      description = "Labelled table: Parquet or CSV file, or a folder of part files.")
  String data;

  @Mixin FeaturesColumn features = new FeaturesColumn();

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    LearnedPolicy p = Policies.load(policy);
    SparkSession spark = session.session("defer4j spark evaluate");
    long start = System.nanoTime();
    Dataset<Row> table = SparkTables.read(spark, data, session.partitions);
    SparkEvaluation.Summary s = SparkEvaluation.evaluate(p, table, features.column());
    double seconds = (System.nanoTime() - start) / 1e9;
    log.printf(
        Locale.ROOT,
        "%s on %d rows (Spark %s, %.1f s)%n",
        p.name(),
        s.rows(),
        spark.sparkContext().master(),
        seconds);
    log.printf(
        Locale.ROOT,
        "system: accuracy=%s  cost=%s  coverage=%s  (oracle cost %s)%n",
        SparkCommand.pct(s.systemAccuracy()),
        SparkCommand.fmt(s.meanCost()),
        SparkCommand.pct(s.coverage()),
        SparkCommand.fmt(s.oracleCost()));
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Double> e : s.allocation().entrySet()) {
      parts.add(e.getKey() + " " + SparkCommand.pct(e.getValue()));
    }
    log.println("allocation: " + String.join(", ", parts));
    if (s.fallbacks() > 0) {
      log.printf(Locale.ROOT, "%d cases fell back from an unavailable agent%n", s.fallbacks());
    }
    log.flush();
    session.release(spark);
    return 0;
  }
}
